// A genuine response spec for unit tests of the builder and its signatures: IdP fixture key,
// assertion and response both signed with rsa-sha256, one email attribute.
import type { ResponseSpec } from '../../src/saml/response-builder.js';
import { ALGORITHM, NAMEID_FORMAT } from '../../src/saml/urn.js';
import { fixtureKey } from './keys.js';

export const exampleResponseSpec: ResponseSpec = {
  issuer: 'https://idp.example/app',
  destination: 'https://sp.example/acs',
  audience: 'https://sp.example',
  inResponseTo: '_req1',
  nameId: 'ann@example.com',
  nameIdFormat: NAMEID_FORMAT.emailAddress,
  sessionIndex: '_s1',
  nowMs: Date.parse('2026-11-24T10:00:00Z'),
  attributes: [{ name: 'email', values: ['ann@example.com'] }],
  signing: { key: fixtureKey('idp'), algorithm: ALGORITHM.rsaSha256, assertion: true, response: true },
};
