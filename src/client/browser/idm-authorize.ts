// The administrator's side of Identity Management authorization, headless: from the IdP's
// "configure" URL through the SP's OAuth sign-in (email, then password) and consent ("Authorize")
// back to the IdP's callback page. A non-admin gets the SP's permissions page; the walk then takes
// its "Return to …" button. Used by tests, the bench and the soak run.
import { BrowserSession } from './browser-session.js';
import { decodeEntities } from '../../saml/post-form-page.js';
import { readPageError } from './flow-pages.js';

interface PageForm {
  action: string;
  hidden: Record<string, string>;
  inputs: string[];
}

function forms(text: string, base: string): PageForm[] {
  return [...text.matchAll(/<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/gi)].map((m) => {
    const hidden: Record<string, string> = {};
    for (const h of (m[2] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) hidden[decodeEntities(h[1] ?? '')] = decodeEntities(h[2] ?? '');
    const inputs = [...(m[2] ?? '').matchAll(/<input [^>]*name="([^"]*)"/g)].map((i) => i[1] ?? '');
    return { action: new URL(decodeEntities(m[1] ?? ''), base).toString(), hidden, inputs };
  });
}

export interface AuthorizeOutcome {
  status: number;
  text: string;
  /** The last URL the browser was on (the IdP's callback when the SP sent it back). */
  url: string;
  /** True when the IdP's page says the integration was verified. */
  verified: boolean;
  error?: { code?: string; message?: string };
}

export async function authorizeIdentityManagement(authorizeUrl: string, login: string, password: string, fetchImpl: typeof fetch = fetch): Promise<AuthorizeOutcome> {
  const browser = new BrowserSession(fetchImpl);
  let url = authorizeUrl;
  let res = await browser.send('GET', url);
  for (let hop = 0; hop < 12; hop++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      res = await browser.send('GET', url);
      continue;
    }
    const text = await res.text();
    const found = forms(text, url);
    const back = found.find((f) => f.action.endsWith('/authorize/return'));
    const consent = found.find((f) => f.action.endsWith('/authorize/consent'));
    const signIn = found.find((f) => f.action.endsWith('/authorize/sign-in') && f.inputs.includes('login'));
    if (back) res = await browser.send('POST', (url = back.action), back.hidden);
    else if (consent) res = await browser.send('POST', (url = consent.action), { ...consent.hidden, decision: 'authorize' });
    else if (signIn) {
      const form = { ...signIn.hidden, login, ...(signIn.inputs.includes('password') && { password }) };
      res = await browser.send('POST', (url = signIn.action), form);
    } else {
      const error = readPageError(text);
      const verified = res.status === 200 && /successfully verified/.test(text);
      return { status: res.status, text, url, verified, ...((error.code || error.message) && { error }) };
    }
  }
  throw new Error(`Identity Management authorization: too many hops, last at ${url}`);
}

/** The same, for scripts: throws with the page's error unless the integration was verified. */
export async function authorizeOrThrow(authorizeUrl: string, login: string, password: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  const outcome = await authorizeIdentityManagement(authorizeUrl, login, password, fetchImpl);
  if (outcome.verified) return;
  throw new Error(
    `Identity Management authorization ended at ${outcome.url} with HTTP ${outcome.status}: ${outcome.error?.code ?? ''} ${outcome.error?.message ?? outcome.text.slice(0, 200)}`,
  );
}
