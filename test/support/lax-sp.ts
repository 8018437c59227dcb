// A careless SP integration, the audit's negative control: SP-initiated login with an unsigned
// AuthnRequest, and an ACS that takes the first NameID of whatever arrives. It checks no
// signature, audience, time, InResponseTo or replay, and parses with no hygiene at all.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DOMParser } from '@xmldom/xmldom';
import express from 'express';
import { buildAuthnRequest } from '../../src/saml/authn-request.js';
import { buildSpMetadata } from '../../src/saml/metadata-build.js';
import { buildRedirectUrl } from '../../src/saml/redirect-binding.js';
import { BINDING, NAMEID_FORMAT, NS } from '../../src/saml/urn.js';
import { fixtureKey } from './keys.js';

const SESSION_COOKIE = 'lax_session';

export interface LaxSp {
  url: string;
  entityId: string;
  acsUrl: string;
  metadata: string;
  /** Every NameID the ACS signed in, in order. */
  signedIn: string[];
  close(): Promise<void>;
}

/** Starts the lax SP on 127.0.0.1 and a free port; `idpSsoUrl` is where its logins go. */
export async function startLaxSp(opts: { idpSsoUrl: string }): Promise<LaxSp> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${url}/metadata`;
  const acsUrl = `${url}/acs`;
  const metadata = buildSpMetadata({
    entityId,
    acs: [{ location: acsUrl, binding: BINDING.post, index: 0, isDefault: true }],
    signingCertificates: [fixtureKey('sp').certificateBase64],
    authnRequestsSigned: false,
    wantAssertionsSigned: true,
    nameIdFormats: [NAMEID_FORMAT.emailAddress],
  });
  const signedIn: string[] = [];

  app.get('/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').send(metadata);
  });
  app.get('/login', (_req, res) => {
    const request = buildAuthnRequest({ issuer: entityId, destination: opts.idpSsoUrl, acsUrl, nowMs: Date.now() });
    res.redirect(302, buildRedirectUrl(opts.idpSsoUrl, 'SAMLRequest', request.xml, {}));
  });
  app.post('/acs', express.urlencoded({ extended: false, limit: '5mb' }), (req, res) => {
    const encoded = (req.body as Record<string, unknown>).SAMLResponse;
    let nameId: string | null | undefined;
    try {
      const xml = Buffer.from(typeof encoded === 'string' ? encoded : '', 'base64').toString('utf8');
      const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: () => undefined } }).parseFromString(xml, 'text/xml');
      nameId = doc.getElementsByTagNameNS(NS.assertion, 'NameID')[0]?.textContent;
    } catch {
      nameId = undefined;
    }
    if (!nameId) {
      res.status(400).type('text').send('login failed: no NameID');
      return;
    }
    signedIn.push(nameId);
    res.cookie(SESSION_COOKIE, encodeURIComponent(nameId), { httpOnly: true, path: '/' });
    res.redirect(302, '/home');
  });
  app.get('/home', (req, res) => {
    const cookie = /(?:^|;\s*)lax_session=([^;]*)/.exec(req.get('cookie') ?? '')?.[1];
    if (!cookie) {
      res.status(401).type('text').send('not signed in');
      return;
    }
    res.type('text').send(`Welcome, ${decodeURIComponent(cookie)}`);
  });

  return {
    url,
    entityId,
    acsUrl,
    metadata,
    signedIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
