// Interop fixtures: an IdP application configured through the admin API, its metadata read with
// a plain DOM (not the harness's own metadata parser), and a browser walking the IdP's hops.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import request from 'supertest';
import { BINDING, NS } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, autoPostFields } from './harness.js';

export const PEER = {
  appId: 'nodesaml',
  spEntityId: 'urn:interop:node-saml-sp',
  acsUrl: 'https://sp.interop.test/saml/acs',
  login: 'ann@interop.test',
  password: 'Ann-password-1',
  number: '+16505550123',
} as const;

export interface SigningMode {
  signAssertion: boolean;
  signResponse: boolean;
}

export const SIGNING_MODES: readonly (SigningMode & { label: string })[] = [
  { label: 'with only the assertion signed', signAssertion: true, signResponse: false },
  { label: 'with only the response signed', signAssertion: false, signResponse: true },
  { label: 'signed at both levels', signAssertion: true, signResponse: true },
];

/** The IdP flavours whose responses every peer must accept. */
export const FLAVORS = ['jumpcloud', 'okta', 'entra'] as const;
export type Flavor = (typeof FLAVORS)[number];

/**
 * A user in a group bound to a `custom-saml` application for the peer SP, of the given flavour
 * (default: the harness's). An `entra` application keeps Entra's default claims; the others send
 * `email` and `number`.
 */
export async function configurePeerApp(server: RunningHarness, mode: SigningMode, flavor?: Flavor): Promise<void> {
  const user = await admin(server, 'post', '/idp/api/users')
    .send({ email: PEER.login, firstName: 'Ann', lastName: 'Interop', number: PEER.number, password: PEER.password })
    .expect(201);
  const group = await admin(server, 'post', '/idp/api/groups').send({ name: 'Interop', members: [user.body.id] }).expect(201);
  await admin(server, 'post', '/idp/api/apps')
    .send({
      template: 'custom-saml',
      id: PEER.appId,
      displayLabel: 'node-saml peer',
      spEntityId: PEER.spEntityId,
      acsUrls: [{ url: PEER.acsUrl }],
      ...(flavor !== undefined && { flavor }),
      ...(flavor !== 'entra' && {
        attributes: [
          { name: 'email', property: 'email' },
          { name: 'number', property: 'number' },
        ],
      }),
      signAssertion: mode.signAssertion,
      signResponse: mode.signResponse,
    })
    .expect(201);
  await admin(server, 'put', `/idp/api/apps/${PEER.appId}/groups/${group.body.id}`).expect(200);
}

export async function setSigningMode(server: RunningHarness, mode: SigningMode): Promise<void> {
  await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ signAssertion: mode.signAssertion, signResponse: mode.signResponse }).expect(200);
}

export interface PublishedIdp {
  entityId: string;
  ssoRedirectUrl: string;
  /** The signing certificate as PEM, as a peer would paste it from the metadata. */
  certificatePem: string;
}

/** GET the application's metadata from its published metadata URL and read what an SP takes from it. */
export async function fetchIdpMetadata(server: RunningHarness): Promise<PublishedIdp> {
  const app = await admin(server, 'get', `/idp/api/apps/${PEER.appId}`).expect(200);
  const metadataUrl = new URL(app.body.metadataUrl as string);
  assert.equal(metadataUrl.origin, server.url, 'the metadata URL points at the harness');
  const res = await request(server.server).get(metadataUrl.pathname + metadataUrl.search).expect(200);
  const doc = new DOMParser().parseFromString(res.text, 'text/xml');
  const root = doc.documentElement;
  assert.ok(root && root.namespaceURI === NS.metadata && root.localName === 'EntityDescriptor', 'metadata root');
  const descriptor = root.getElementsByTagNameNS(NS.metadata, 'IDPSSODescriptor')[0];
  assert.ok(descriptor, 'metadata has an IDPSSODescriptor');
  const signing = Array.from(descriptor.getElementsByTagNameNS(NS.metadata, 'KeyDescriptor')).find(
    (k) => (k.getAttribute('use') ?? 'signing') === 'signing',
  );
  const base64 = signing?.getElementsByTagNameNS(NS.dsig, 'X509Certificate')[0]?.textContent?.replace(/\s+/g, '');
  assert.ok(base64, 'metadata has a signing certificate');
  // The SSO URL takes both bindings, as the real products' do, even when the metadata lists only HTTP-POST.
  const services = Array.from(descriptor.getElementsByTagNameNS(NS.metadata, 'SingleSignOnService'));
  const ssoRedirectUrl = (services.find((s) => s.getAttribute('Binding') === BINDING.redirect) ?? services.find((s) => s.getAttribute('Binding') === BINDING.post))?.getAttribute('Location');
  assert.ok(ssoRedirectUrl, 'metadata has an HTTP-Redirect or HTTP-POST SingleSignOnService');
  return {
    entityId: root.getAttribute('entityID') ?? '',
    ssoRedirectUrl,
    certificatePem: `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`,
  };
}

/** A browser: SSO URL → login form → auto-post form. Returns the form the IdP would post. */
export async function signInAtIdp(server: RunningHarness, ssoUrl: string): Promise<ReturnType<typeof autoPostFields>> {
  const agent = request.agent(server.server);
  const u = new URL(ssoUrl);
  assert.equal(u.origin, server.url, 'the SSO URL points at the harness');
  const sso = await agent.get(u.pathname + u.search).expect(303);
  const pending = new URL(sso.headers.location as string, server.url).searchParams.get('pending');
  assert.ok(pending, `redirected to the login form: ${String(sso.headers.location)}`);
  const login = await agent.post('/idp/login').type('form').send({ login: PEER.login, password: PEER.password, pending }).expect(200);
  return autoPostFields(login.text);
}

/** A minimal unsigned AuthnRequest for the HTTP-Redirect binding, written by hand (a fresh ID each: the IdP serves an ID once). */
export function authnRequestUrl(ssoUrl: string): string {
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="_interop-${randomUUID()}" Version="2.0"` +
    ` IssueInstant="${new Date().toISOString()}" Destination="${ssoUrl}" AssertionConsumerServiceURL="${PEER.acsUrl}"` +
    ` ProtocolBinding="${BINDING.post}"><saml:Issuer>${PEER.spEntityId}</saml:Issuer></samlp:AuthnRequest>`;
  return `${ssoUrl}?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`;
}
