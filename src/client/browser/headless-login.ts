// A headless SP-initiated login over HTTP, as a browser would do it: SP login page → redirect
// to the IdP → IdP login form → auto-posted SAMLResponse → SP ACS → landing page.
import { BrowserSession, type LoginHop } from './browser-session.js';
import { readPageError } from './flow-pages.js';
import { walkFlow } from './sp-initiated-walk.js';

export type { LoginHop } from './browser-session.js';

export interface HeadlessLoginOptions {
  /** The SP's base URL (where /sp/login lives). */
  spBaseUrl: string;
  email: string;
  password: string;
  /** Login name typed at the IdP (default: the email). */
  idpLogin?: string;
  fetch?: typeof fetch;
  maxHops?: number;
  /** Where the login starts at another SP (`{email}` is replaced); then success is the page it lands on. */
  loginUrl?: string;
  /** The browser to log in with (its cookies, e.g. an IdP session); a fresh one by default. */
  browser?: BrowserSession;
}

export interface HeadlessLoginResult {
  ok: boolean;
  hops: LoginHop[];
  /** The SP session as /sp/home reports it, when the login succeeded. */
  session?: Record<string, unknown>;
  /** The error the last hop answered with, when it failed. */
  error?: { status: number; code?: string; message?: string; body?: unknown };
}

export async function headlessLogin(opts: HeadlessLoginOptions): Promise<HeadlessLoginResult> {
  const browser = opts.browser ?? new BrowserSession(opts.fetch ?? fetch);
  const { hops } = browser;
  const fail = (status: number, text: string): HeadlessLoginResult => {
    const { code, message } = readPageError(text);
    return { ok: false, hops, error: { status, ...(code && { code }), ...(message && { message }) } };
  };

  const url = opts.loginUrl
    ? opts.loginUrl.replace(/\{email\}/g, encodeURIComponent(opts.email))
    : `${opts.spBaseUrl.replace(/\/$/, '')}/sp/login?email=${encodeURIComponent(opts.email)}`;
  const end = await walkFlow(browser, await browser.send('GET', url), url, {
    credentials: { login: opts.idpLogin ?? opts.email, password: opts.password },
    maxHops: opts.maxHops ?? 12,
    stopAt: (next) => new URL(next).pathname === '/sp/home',
  });
  switch (end.kind) {
    case 'reached': {
      const home = await browser.send('GET', end.url, undefined, 'application/json');
      if (!home.ok) return fail(home.status, await home.text());
      return { ok: true, hops, session: (await home.json()) as Record<string, unknown> };
    }
    case 'page':
      if (end.status !== 200) return fail(end.status, end.text);
      // Another SP: the walk only posts after the IdP sign-in to deliver the SAMLResponse, so a
      // page reached after such a post is where that SP's login landed.
      if (opts.loginUrl && postedAfterSignIn(hops)) return { ok: true, hops, session: { landedOn: end.url } };
      return { ok: false, hops, error: { status: end.status, message: 'the page is neither a redirect, a login form nor an auto-post form', body: end.text.slice(0, 300) } };
    case 'saml-response':
    case 'too-many-hops':
      return { ok: false, hops, error: { status: 0, message: 'too many hops' } };
  }
}

function postedAfterSignIn(hops: readonly LoginHop[]): boolean {
  const signIn = hops.findIndex((h) => h.method === 'POST' && new URL(h.url).pathname === '/idp/login');
  return hops.slice(signIn + 1).some((h) => h.method === 'POST');
}
