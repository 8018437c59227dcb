import assert from 'node:assert/strict';
import { SignedXml } from 'xml-crypto';
import { HarnessError } from '../src/errors.js';
import { buildIdpMetadata, buildSpMetadata, type IdpMetadataInput } from '../src/saml/metadata-build.js';
import { checkPair } from '../src/saml/metadata-check.js';
import { parseIdpMetadata } from '../src/saml/metadata-parse.js';
import { reportMetadata } from '../src/saml/metadata-report.js';
import { signMetadata } from '../src/saml/metadata-sign.js';
import { parseXml } from '../src/saml/parse.js';
import { ALGORITHM, BINDING, NAMEID_FORMAT, NS } from '../src/saml/urn.js';
import { fixtureKey } from './support/keys.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const current = fixtureKey('idp');
const next = fixtureKey('attacker');
const third = fixtureKey('sp');

const idp = (patch: Partial<IdpMetadataInput> = {}): string =>
  buildIdpMetadata({
    entityId: 'https://idp.example.test/saml2/ringcentral',
    ssoServices: [{ binding: BINDING.redirect, location: 'https://idp.example.test/saml2/ringcentral/sso' }],
    signingCertificates: [current.certificateBase64, next.certificateBase64],
    nameIdFormats: [NAMEID_FORMAT.emailAddress],
    attributes: [{ name: 'email' }, { name: 'number' }],
    validUntilMs: NOW + 7 * 86_400_000,
    cacheDuration: 'PT1H',
    ...patch,
  });
const sp = buildSpMetadata({
  entityId: 'https://sso.ringcentral.com',
  acs: [{ location: 'https://sso.ringcentral.com/sp/ACS.saml2', binding: BINDING.post, index: 0, isDefault: true }],
  signingCertificates: [third.certificateBase64],
  authnRequestsSigned: true,
  wantAssertionsSigned: true,
  nameIdFormats: [NAMEID_FORMAT.emailAddress],
});

describe('IdP metadata during a key rollover', () => {
  it('carries validUntil and cacheDuration on the EntityDescriptor', () => {
    const root = parseXml(idp()).documentElement!;
    assert.equal(root.getAttribute('validUntil'), '2026-06-08T00:00:00Z');
    assert.equal(root.getAttribute('cacheDuration'), 'PT1H');
    assert.equal(parseIdpMetadata(idp(), { nowMs: NOW }).validUntil, '2026-06-08T00:00:00Z');
  });

  it('refuses a cacheDuration that is not an xs:duration', () => {
    assert.throws(() => idp({ cacheDuration: '1 hour' }), (err: unknown) => err instanceof HarnessError && err.code === 'CONFIG_INVALID');
  });

  it('reports both signing certificates with their expiry (inspect)', () => {
    const [role] = reportMetadata(idp(), { nowMs: NOW }).entities[0]!.roles;
    assert.deepEqual(
      role!.certificates.map((c) => [c.use, c.sha256, c.notAfter.slice(0, 10), c.daysToExpiry > 0]),
      [
        ['signing', current.certificate.fingerprint256, new Date(current.certificate.validTo).toISOString().slice(0, 10), true],
        ['signing', next.certificate.fingerprint256, new Date(next.certificate.validTo).toISOString().slice(0, 10), true],
      ],
    );
  });

  it('names the rollover in check, and warns when more certificates than two slots are listed', () => {
    const two = checkPair(idp(), sp, { nowMs: NOW }).findings.filter((f) => f.topic === 'certificate');
    assert.equal(two.length, 2);
    assert.match(two[1]!.message, /two signing certificates, a key rollover \(Primary SHA-256 .*; Secondary SHA-256 .*\)/);
    assert.equal(two[1]!.severity, 'ok');
    const three = checkPair(idp({ signingCertificates: [current.certificateBase64, next.certificateBase64, third.certificateBase64] }), sp, { nowMs: NOW });
    const warning = three.findings.find((f) => f.topic === 'certificate' && f.severity === 'warning');
    assert.match(warning?.message ?? '', /lists 3 signing certificates .* trusts the first two only/);
  });

  it('signs the whole EntityDescriptor with the Signature as its first child, and still parses cleanly', () => {
    const xml = signMetadata(idp({ id: '_md1' }), { key: current, algorithm: ALGORITHM.rsaSha256, id: '_md1' });
    const root = parseXml(xml, { allowComments: true }).documentElement!;
    const first = Array.from(root.childNodes).find((n) => n.nodeType === 1) as Element;
    assert.equal(first.namespaceURI, NS.dsig);
    assert.equal(first.localName, 'Signature');
    const verifier = new SignedXml({ publicCert: current.certificatePem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(first);
    assert.equal(verifier.checkSignature(xml), true);
    const other = new SignedXml({ publicCert: next.certificatePem, getCertFromKeyInfo: () => null });
    other.loadSignature(first);
    assert.throws(() => other.checkSignature(xml));
    const parsed = parseIdpMetadata(xml, { nowMs: NOW });
    assert.equal(parsed.certificates.length, 2);
    const report = reportMetadata(xml, { nowMs: NOW });
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(report.entities[0]?.signature, { verifiedBy: current.certificate.fingerprint256 });
    assert.equal(report.entities[0]?.cacheDuration, 'PT1H');
  });

  it('says so when the signed metadata was changed after signing, or signed with a key it does not publish', () => {
    const signed = signMetadata(idp({ id: '_md1' }), { key: current, algorithm: ALGORITHM.rsaSha256, id: '_md1' });
    const tampered = signed.replace('https://idp.example.test/saml2/ringcentral/sso', 'https://evil.example.test/sso');
    const foreign = signMetadata(idp({ id: '_md2', signingCertificates: [next.certificateBase64] }), { key: current, algorithm: ALGORITHM.rsaSha256, id: '_md2' });
    for (const xml of [tampered, foreign]) {
      const report = reportMetadata(xml, { nowMs: NOW });
      assert.deepEqual(report.entities[0]?.signature, {});
      assert.match(report.warnings.join('\n'), /the metadata is signed, but the signature does not verify with any signing certificate it publishes/);
    }
    assert.equal(reportMetadata(idp(), { nowMs: NOW }).entities[0]?.signature, undefined);
  });
});
