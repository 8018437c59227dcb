// A genuine response spec for unit tests of the builder and its signatures (IdP fixture key,
// assertion and response both signed with rsa-sha256, one email attribute), and what an SP
// account expects of a response, for the tests that run the validation pipeline.
import type { ResponseSpec } from '../../src/saml/response-builder.js';
import { ALGORITHM, NAMEID_FORMAT } from '../../src/saml/urn.js';
import type { ResponseExpectations } from '../../src/saml/validate/types.js';
import { fixtureKey } from './keys.js';

const idpKey = fixtureKey('idp');

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
  signing: { key: idpKey, algorithm: ALGORITHM.rsaSha256, assertion: true, response: true },
};

/** The instant and entities of the pipeline tests: a JumpCloud-style IdP answering a RingCentral-style SP. */
export const NOW = Date.parse('2026-11-24T10:00:00Z');
export const IDP = 'https://sso.jumpcloud.example/saml2/ringcentral';
export const SP = 'https://sso.ringcentral.example/sp';
export const ACS = 'https://sso.ringcentral.example/sp/acs';

/** The SP account's defaults: the IdP fixture key pinned, no SHA-1, no unsolicited responses; `overrides` win. */
export function expectations(overrides: Partial<ResponseExpectations> = {}): ResponseExpectations {
  return {
    idpEntityId: IDP,
    idpCertificates: [idpKey.certificate],
    spEntityId: SP,
    acsUrl: ACS,
    allowedClockSkewSec: 60,
    nowMs: NOW,
    allowSha1: false,
    minKeyBits: 2048,
    allowUnsolicited: false,
    emailFrom: { kind: 'attribute', name: 'email' },
    requireNumberAttribute: true,
    requestScope: 'acct-1',
    ...overrides,
  };
}
