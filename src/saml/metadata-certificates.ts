// The certificates a metadata role publishes in its KeyDescriptors, read once, with a warning for
// each one that is usable but risky: expired or about to, not yet valid, not RSA, or too short.
import type { X509Certificate } from 'node:crypto';
import { errorMessage } from '../caught-error.js';
import { parseCertificate, summarizeCertificate, type CertificateSummary } from '../crypto/keys.js';
import { HarnessError } from '../errors.js';
import { childElements, firstChild, textOf } from './dom.js';
import { NS } from './urn.js';

const EXPIRY_WARNING_DAYS = 30;
const MIN_KEY_BITS = 2048;

export interface ParsedCertificate {
  use: 'signing' | 'encryption' | 'both';
  base64: string;
  certificate: X509Certificate;
  summary: CertificateSummary;
}

/** Each KeyDescriptor's certificates (`role` names the side in messages), with warnings for what is risky. */
export function readCertificates(descriptor: Element, role: string, nowMs: number, warnings: string[]): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (const kd of childElements(descriptor, NS.metadata, 'KeyDescriptor')) {
    const rawUse = kd.getAttribute('use') ?? '';
    if (rawUse !== '' && rawUse !== 'signing' && rawUse !== 'encryption') {
      throw new HarnessError('METADATA_INVALID', 'a KeyDescriptor has an unknown use', { expected: 'use="signing", use="encryption" or no use', received: rawUse });
    }
    const use = rawUse === '' ? 'both' : rawUse;
    const keyInfo = firstChild(kd, NS.dsig, 'KeyInfo');
    const bodies = (keyInfo ? childElements(keyInfo, NS.dsig, 'X509Data') : [])
      .flatMap((d) => childElements(d, NS.dsig, 'X509Certificate'))
      .map((c) => (textOf(c) ?? '').replace(/\s+/g, ''));
    if (bodies.length === 0) warnings.push(`a ${use} KeyDescriptor has no ds:X509Certificate and was ignored: publish the certificate itself`);
    for (const base64 of bodies) {
      let certificate: X509Certificate;
      try {
        certificate = parseCertificate(base64);
      } catch (err) {
        throw new HarnessError('METADATA_INVALID', `the ${role} ${use} certificate cannot be read: ${errorMessage(err)}`, {
          expected: 'a base64 DER X.509 certificate',
          received: base64.length > 80 ? `${base64.slice(0, 80)}…` : base64,
        });
      }
      const summary = summarizeCertificate(certificate, nowMs);
      certificateWarnings(summary, use, nowMs, warnings);
      out.push({ use, base64, certificate, summary });
    }
  }
  return out;
}

function certificateWarnings(s: CertificateSummary, use: string, nowMs: number, warnings: string[]): void {
  const name = `the ${use} certificate "${s.subject.replace(/\n/g, ', ')}" (SHA-256 ${s.sha256.slice(0, 11)}…)`;
  if (s.expired) {
    warnings.push(`${name} expired on ${s.notAfter}: install a new certificate and import fresh metadata (peers that check expiry refuse it)`);
  } else if (s.daysToExpiry < EXPIRY_WARNING_DAYS) {
    warnings.push(`${name} expires in ${s.daysToExpiry} days (${s.notAfter}): add its successor to the metadata before then`);
  }
  if (Date.parse(s.notBefore) > nowMs) {
    warnings.push(`${name} is not valid before ${s.notBefore}: check the issuing host's clock`);
  }
  if (s.keyType !== 'rsa') warnings.push(`${name} has a ${s.keyType} key: the harness verifies RSA signatures only`);
  else if ((s.keyBits ?? 0) < MIN_KEY_BITS) warnings.push(`${name} has a ${s.keyBits}-bit RSA key: use at least ${MIN_KEY_BITS} bits`);
}
