// Starts an SP-initiated login as a browser does and takes the AuthnRequest on to the IdP in the
// binding the SP chose: a 302 when the IdP metadata lists HTTP-Redirect, the auto-post page when it
// lists only HTTP-POST (a default JumpCloud application). Tests about the login after that point
// do not care which; tests about a binding assert `binding`.
import assert from 'node:assert/strict';
import type request from 'supertest';
import type { Response } from 'supertest';
import { readAutoPostForm } from '../../src/saml/post-form-page.js';

/** A supertest client: `request(server)` (no cookies kept) or `request.agent(server)`. */
type Client = ReturnType<typeof request>;

export interface StartedSpLogin {
  binding: 'redirect' | 'post';
  /** The SP's answer: the 302 to the IdP, or the page that posts the request. */
  sp: Response;
  /** The IdP SSO URL the request went to (without the Redirect binding's query). */
  ssoUrl: string;
  /** The request's fields as sent: SAMLRequest (deflated for Redirect), RelayState, SigAlg and Signature. */
  fields: Record<string, string>;
  /** The IdP's answer to the request: usually a 303 to its sign-in page. */
  idp: Response;
}

const pathOf = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/**
 * GET `spLoginPath` (e.g. `/sp/login?email=ann%40acme.test`) and send what it answers on to the
 * IdP, with the same client (its cookies, when it is an agent). Fails when the SP answers neither.
 */
export async function startSpLogin(client: Client, spLoginPath: string): Promise<StartedSpLogin> {
  const sp = await client.get(spLoginPath);
  if (sp.status === 302) {
    const location = new URL(sp.headers.location as string);
    const fields = Object.fromEntries(location.searchParams);
    assert.ok(fields.SAMLRequest, `the SP redirected without a SAMLRequest: ${location.href}`);
    const idp = await client.get(pathOf(location.href));
    return { binding: 'redirect', sp, ssoUrl: location.origin + location.pathname, fields, idp };
  }
  assert.equal(sp.status, 200, `GET ${spLoginPath} answered ${sp.status}: ${sp.text.slice(0, 300)}`);
  const form = readAutoPostForm(sp.text, 'http://sp.invalid');
  assert.ok(form?.fields.SAMLRequest, `GET ${spLoginPath} answered neither a redirect nor a SAMLRequest form: ${sp.text.slice(0, 300)}`);
  const idp = await client.post(pathOf(form.action)).type('form').send(form.fields);
  return { binding: 'post', sp, ssoUrl: form.action, fields: form.fields, idp };
}
