// Steps the Identity Management e2e tests take as an administrator or a user would: the SP's
// OAuth sign-in and consent pages in a browser, the SP directory and outbox through the SP
// admin API, and SAML logins (one held back before its assertion is posted).
import { BrowserSession } from '../../src/client/browser/browser-session.js';
import { readPageError } from '../../src/client/browser/flow-pages.js';
import type { AutoPostForm } from '../../src/saml/post-form-page.js';
import { authorizeIdentityManagement } from '../../src/client/browser/idm-authorize.js';
import { headlessLogin, type HeadlessLoginResult } from '../../src/client/browser/headless-login.js';
import { walkFlow } from '../../src/client/browser/sp-initiated-walk.js';
import { DEMO_ACCOUNT } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin } from '../support/harness.js';

export type { AuthorizeOutcome } from '../../src/client/browser/idm-authorize.js';
/** "configure" → the SP's sign-in → consent "Authorize" → back at the IdP's callback (see src/client/idm-authorize.ts). */
export const authorizeAtSp = authorizeIdentityManagement;

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
