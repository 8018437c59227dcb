import assert from 'node:assert/strict';
import { encodePostMessage } from '../src/saml/encoding.js';
import { buildResponse } from '../src/saml/response-builder.js';
import { ALGORITHM, NAMEID_FORMAT } from '../src/saml/urn.js';
import { validateResponse } from '../src/saml/validate/pipeline.js';
import type { ResponseExpectations, ValidationResult } from '../src/saml/validate/types.js';
import type { SigningKey } from '../src/crypto/keys.js';
import { certificateSlotsView, slotsFromMetadata, trustedIdpCertificates, withCertificateSlots } from '../src/sp/idp-certificates.js';
import type { ImportedIdp } from '../src/sp/model.js';
import { HarnessError } from '../src/errors.js';
import { fixtureKey, fixturePem } from './support/keys.js';

const IDP = 'https://idp.example.test/saml2/ringcentral';
const SP = 'https://sp.example.test/sp';
const ACS = 'https://sp.example.test/sp/acs';
const idpKey = fixtureKey('idp');
const nextKey = fixtureKey('attacker');
/** The fixture IdP certificate is valid until 2125-12-08. */
const BEFORE_EXPIRY = Date.parse('2026-11-24T10:00:00Z');
const AFTER_EXPIRY = Date.parse('2126-01-01T00:00:00Z');

function submit(key: SigningKey, nowMs: number, expect: Partial<ResponseExpectations>): Promise<ValidationResult> {
  const xml = buildResponse({
    issuer: IDP,
    destination: ACS,
    audience: SP,
    nameId: 'ann@example.test',
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    sessionIndex: '_s1',
    nowMs,
    attributes: [
      { name: 'email', values: ['ann@example.test'] },
      { name: 'number', values: ['+16505550100'] },
    ],
    signing: { key, algorithm: ALGORITHM.rsaSha256, assertion: true, response: false },
  }).xml;
  const full: ResponseExpectations = {
    idpEntityId: IDP,
    idpCertificates: [idpKey.certificate],
    spEntityId: SP,
    acsUrl: ACS,
    allowedClockSkewSec: 60,
    nowMs,
    allowSha1: false,
    minKeyBits: 2048,
    allowUnsolicited: true,
    emailFrom: { kind: 'attribute', name: 'email' },
    requireNumberAttribute: true,
    requestScope: 'acct',
    ...expect,
  };
  return validateResponse(encodePostMessage(xml), full, { takeRequest: async () => undefined, rememberAssertion: async () => true });
}

describe('SP signature check with Primary and Secondary IdP certificates', () => {
  it('accepts a signature by either pinned certificate', async () => {
    const pinned = { idpCertificates: [idpKey.certificate, nextKey.certificate] };
    for (const key of [idpKey, nextKey]) {
      const r = await submit(key, BEFORE_EXPIRY, pinned);
      assert.equal(r.ok, true, r.ok ? '' : r.error.message);
    }
  });

  it('refuses a signature by a certificate in neither slot with SAML_SIGNATURE_UNTRUSTED', async () => {
    const r = await submit(nextKey, BEFORE_EXPIRY, {});
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error.code, 'SAML_SIGNATURE_UNTRUSTED');
  });

  it('refuses a signature by an expired pinned certificate with SAML_CERTIFICATE_EXPIRED at signature-verify', async () => {
    const r = await submit(idpKey, AFTER_EXPIRY, {});
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'SAML_CERTIFICATE_EXPIRED');
    assert.match(r.error.message, /expired on 2125-12-08/);
    assert.equal(r.checks.find((c) => c.verdict === 'fail')?.check, 'signature-verify');
    assert.equal(r.error.toJSON().fix && (r.error.toJSON().fix as { side: string }).side, 'idp');
  });

  it('accepts the expired certificate when the account allows it', async () => {
    const r = await submit(idpKey, AFTER_EXPIRY, { allowExpiredCertificate: true });
    assert.equal(r.ok, true, r.ok ? '' : r.error.message);
  });
});

describe('IdP certificate slots of an SP account', () => {
  const a = idpKey.certificateBase64;
  const b = nextKey.certificateBase64;
  const c = fixtureKey('sp').certificateBase64;
  const imported = (over: Partial<ImportedIdp> = {}): ImportedIdp => ({
    entityId: IDP,
    ssoServices: [],
    certificates: [a, b, c],
    attributes: [],
    nameIdFormats: [],
    wantAuthnRequestsSigned: undefined,
    source: { kind: 'file' },
    importedAt: '2026-11-24T10:00:00.000Z',
    ...over,
  });

  it('fills Primary and Secondary from the first two signing certificates, as RingCentral uses only those', () => {
    assert.deepEqual(slotsFromMetadata([a, b, c]), { primary: a, secondary: b });
    assert.deepEqual(slotsFromMetadata([a]), { primary: a });
  });

  it('trusts the first two metadata certificates of a record imported before the slots existed', () => {
    assert.deepEqual(trustedIdpCertificates(imported()), [a, b]);
    assert.deepEqual(trustedIdpCertificates(imported({ certificateSlots: { primary: c } })), [c]);
  });

  it('sets a slot from PEM, empties Secondary with null, and keeps the other slot', () => {
    const base = imported({ certificateSlots: { primary: a } });
    const withSecondary = withCertificateSlots(base, { secondary: fixturePem('attacker').certificatePem });
    assert.deepEqual(withSecondary.certificateSlots, { primary: a, secondary: b });
    const swapped = withCertificateSlots(withSecondary, { primary: b, secondary: null });
    assert.deepEqual(swapped.certificateSlots, { primary: b });
    assert.deepEqual(certificateSlotsView(withSecondary, BEFORE_EXPIRY).map((s) => [s.slot, s.sha256, s.expired]), [
      ['primary', idpKey.certificate.fingerprint256, false],
      ['secondary', nextKey.certificate.fingerprint256, false],
    ]);
    assert.equal(certificateSlotsView(withSecondary, AFTER_EXPIRY)[0]?.expired, true);
  });

  it('refuses a slot value that is not a certificate, naming the slot', () => {
    assert.throws(
      () => withCertificateSlots(imported(), { primary: 'bm90IGEgY2VydA==' }),
      (err: unknown) => err instanceof HarnessError && err.code === 'INPUT_INVALID' && 'idpCertificates.primary' in (err.details.fields ?? {}),
    );
  });
});
