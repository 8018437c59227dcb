// One SP-initiated login for the audit, in a fresh browser: start at the SP, sign in at the IdP,
// stop at the IdP's auto-post form, post the SAMLResponse to the ACS and record what it answered.
import type { AcsObservation } from './acceptance.js';
import { networkReason } from './errors.js';
import { BrowserSession, redirectTarget } from '../browser/browser-session.js';
import { readPageError } from '../browser/flow-pages.js';
import { walkFlow, type IdpCredentials, type WalkEnd } from '../browser/sp-initiated-walk.js';

const MAX_HOPS = 12;
const MAX_FINAL_HOPS = 5;

/** The login could not be driven to the ACS, or the ACS could not be reached. */
export class FlowError extends Error {
  override name = 'FlowError';
}

export interface AuditLoginOptions {
  loginUrl: string;
  credentials: IdpCredentials;
  fetch: typeof fetch;
  /** Follow the ACS redirects and read the page the browser ends on. */
  readFinalPage: boolean;
  /** The browser to use; a fresh one by default. */
  browser?: BrowserSession;
}

function describeStop(end: Exclude<WalkEnd, { kind: 'saml-response' }>): string {
  switch (end.kind) {
    case 'too-many-hops':
      return `no SAMLResponse after ${MAX_HOPS} hops`;
    case 'reached':
      return `stopped at ${end.url}`;
    case 'page': {
      const { code, message } = readPageError(end.text);
      const what = code ? `${code}${message ? `: ${message}` : ''}` : (message ?? (end.status === 200 ? 'a page with no SAML form' : 'an error page'));
      return `no SAMLResponse: ${end.url} answered HTTP ${end.status} (${what})`;
    }
  }
}

export async function loginToAcs(opts: AuditLoginOptions): Promise<AcsObservation> {
  const browser = opts.browser ?? new BrowserSession(opts.fetch);
  let end: WalkEnd;
  try {
    end = await walkFlow(browser, await browser.send('GET', opts.loginUrl), opts.loginUrl, {
      credentials: opts.credentials,
      maxHops: MAX_HOPS,
      stopAtResponse: true,
    });
  } catch (err) {
    throw new FlowError(`the login flow failed: ${networkReason(err)}`);
  }
  if (end.kind !== 'saml-response') throw new FlowError(describeStop(end));

  const acsUrl = end.form.action;
  let res: Response;
  let text: string;
  try {
    res = await browser.send('POST', acsUrl, end.form.fields);
    text = await res.text();
  } catch (err) {
    throw new FlowError(`posting to the ACS ${acsUrl} failed: ${networkReason(err)}`);
  }
  const location = redirectTarget(res, acsUrl);
  const { code, message } = readPageError(text);
  const observation: AcsObservation = { acsUrl, status: res.status, ...(location && { location }), ...(code && { code }), ...(message && { message }) };
  if (!opts.readFinalPage) return observation;

  let url = acsUrl;
  let final = { url, status: res.status, text };
  try {
    for (let next = location, i = 0; next !== undefined && i < MAX_FINAL_HOPS; i++) {
      url = next;
      const page = await browser.send('GET', url);
      final = { url, status: page.status, text: await page.text() };
      next = redirectTarget(page, url);
    }
  } catch (err) {
    throw new FlowError(`following the ACS redirect to ${url} failed: ${networkReason(err)}`);
  }
  return { ...observation, final };
}
