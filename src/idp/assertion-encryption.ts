// "Encrypt assertion" of an IdP application: the setting with its defaults, how the admin API
// shows it (RSA 1.5 marked insecure), and the encryption of a genuine response to the SP's
// encryption certificate, taken from the SP metadata the application was given.
import { pinnedCertificate } from '../crypto/keys.js';
import { HarnessError } from '../errors.js';
import { encryptResponseAssertion } from '../saml/encryption.js';
import type { ResponseSpec } from '../saml/response-builder.js';
import type { ResponseScenario } from '../saml/scenarios/types.js';
import type { AppEncryption, IdpApp } from './model.js';

/** Off; when turned on, AES-256-GCM with the key wrapped by RSA-OAEP. */
export const DEFAULT_APP_ENCRYPTION: Readonly<AppEncryption> = Object.freeze({
  enabled: false,
  dataAlgorithm: 'aes256-gcm',
  keyTransport: 'rsa-oaep',
});

export function appEncryption(app: Pick<IdpApp, 'encryption'>): AppEncryption {
  return { ...DEFAULT_APP_ENCRYPTION, ...app.encryption };
}

/** The setting as the admin API shows it: the insecure choices flagged, the certificate it encrypts to. */
export function encryptionView(app: IdpApp) {
  const setting = appEncryption(app);
  const base64 = app.sp.encryptionCertificates?.[0];
  const cert = base64 === undefined ? undefined : pinnedCertificate(base64);
  const warnings: string[] = [];
  if (setting.keyTransport === 'rsa-1_5') {
    warnings.push('rsa-1_5 key transport is insecure (Bleichenbacher\'s attack) and strict SPs refuse it: use rsa-oaep');
  }
  if (setting.dataAlgorithm === 'aes256-cbc') {
    warnings.push('aes256-cbc is open to a padding oracle and strict SPs refuse it: use aes256-gcm or aes128-gcm');
  }
  if (setting.enabled && !cert) {
    warnings.push('the SP metadata has no encryption certificate: upload SP metadata with a KeyDescriptor use="encryption"');
  }
  return {
    ...setting,
    insecure: setting.keyTransport === 'rsa-1_5',
    warnings,
    certificate: cert ? { subject: cert.subject, notAfter: new Date(cert.validTo).toISOString(), sha256: cert.fingerprint256 } : null,
  };
}

/**
 * The response as sent: a genuine one (scenario kind `valid`) has its signed assertion encrypted
 * when the application says so, and its Response signed again over the EncryptedAssertion. The
 * faults and attacks of the catalogue are sent as built, since they edit the plain assertion.
 */
export async function encryptIfAsked(app: IdpApp, scenario: ResponseScenario, spec: ResponseSpec, xml: string): Promise<string> {
  const setting = appEncryption(app);
  if (!setting.enabled || scenario.kind !== 'valid') return xml;
  const base64 = app.sp.encryptionCertificates?.[0];
  if (base64 === undefined) {
    throw new HarnessError('IDP_APP_INCOMPLETE', `${app.displayLabel} encrypts assertions, but the SP metadata has no encryption certificate`, {
      expected: 'an SP metadata with a KeyDescriptor use="encryption" (or without use)',
      received: 'no SP encryption certificate',
      setting: 'Upload Metadata, or turn Encrypt assertion off',
    });
  }
  return encryptResponseAssertion(
    xml,
    { certificate: pinnedCertificate(base64), dataAlgorithm: setting.dataAlgorithm, keyTransport: setting.keyTransport },
    { key: spec.signing.key, algorithm: spec.signing.algorithm },
  );
}
