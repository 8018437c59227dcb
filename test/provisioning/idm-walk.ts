// Steps the Identity Management e2e tests take as an administrator or a user would: the SP's
// OAuth sign-in and consent pages in a browser, the SP directory and outbox through the SP
// admin API, and SAML logins (one held back before its assertion is posted).
import { BrowserSession } from '../../src/client/browser-session.js';
import { decodeEntities, readPageError, type AutoPostForm } from '../../src/client/flow-pages.js';
import { headlessLogin, type HeadlessLoginResult } from '../../src/client/headless-login.js';
import { walkFlow } from '../../src/client/sp-initiated-walk.js';
import { DEMO_ACCOUNT } from '../../src/demo.js';
import type { RunningHarness } from '../../src/server.js';
import { admin } from '../support/harness.js';

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
  error?: { code?: string; message?: string };
}

/**
 * "configure" → the SP's sign-in (email, then password) → consent "Authorize" → back at the IdP's
 * callback. A non-admin gets the SP's permissions page; the walk then takes "Return to ...".
 */
export async function authorizeAtSp(authorizeUrl: string, login: string, password: string): Promise<AuthorizeOutcome> {
  const browser = new BrowserSession(fetch);
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
      return { status: res.status, text, url, ...((error.code || error.message) && { error }) };
    }
  }
  throw new Error(`authorizeAtSp: too many hops, last at ${url}`);
}

export interface SpDirectoryUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  department?: string;
  status: 'active' | 'inactive' | 'pending';
  createdVia: string;
}

export async function spUsers(server: RunningHarness): Promise<SpDirectoryUser[]> {
  return (await admin(server, 'get', `/sp/api/accounts/${DEMO_ACCOUNT.id}/users`).expect(200)).body as SpDirectoryUser[];
}

export async function spUser(server: RunningHarness, email: string): Promise<SpDirectoryUser | undefined> {
  return (await spUsers(server)).find((u) => u.email === email);
}

/** Opens the newest activation email for `email` and uses its link (with an SP password, optionally). */
export async function activateFromOutbox(server: RunningHarness, email: string, password?: string): Promise<{ status: string }> {
  const outbox = (await admin(server, 'get', `/sp/api/accounts/${DEMO_ACCOUNT.id}/outbox`).expect(200)).body as { to: string; link: string }[];
  const mail = outbox.find((m) => m.to === email);
  if (!mail) throw new Error(`no activation email to ${email}`);
  const res = await fetch(mail.link, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(password ? { password } : {}).toString(),
  });
  if (!res.ok) throw new Error(`activation failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { status: string };
}

/** Waits until the IdP's provisioning queues are empty. */
export async function idle(server: RunningHarness): Promise<void> {
  await admin(server, 'post', '/idp/api/maintenance/idle').expect(200);
}

export function ssoLogin(server: RunningHarness, email: string, password: string): Promise<HeadlessLoginResult> {
  return headlessLogin({ spBaseUrl: server.url, email, password });
}

/** Signs in at the IdP and keeps the SAMLResponse instead of posting it; `post()` delivers it later. */
export async function heldSsoLogin(server: RunningHarness, email: string, password: string): Promise<{ post(): Promise<{ status: number; code?: string }> }> {
  const browser = new BrowserSession(fetch);
  const start = `${server.url}/sp/login?email=${encodeURIComponent(email)}`;
  const end = await walkFlow(browser, await browser.send('GET', start), start, { credentials: { login: email, password }, maxHops: 12, stopAtResponse: true });
  if (end.kind !== 'saml-response') throw new Error(`no SAMLResponse for ${email}: ${JSON.stringify(end).slice(0, 300)}`);
  const form: AutoPostForm = end.form;
  return {
    async post() {
      const res = await browser.send('POST', form.action, form.fields, 'application/json');
      const text = await res.text();
      return { status: res.status, ...(readPageError(text).code && { code: readPageError(text).code }) };
    },
  };
}
