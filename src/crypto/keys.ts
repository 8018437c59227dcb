// Signing keys and certificates. PEM is parsed once into KeyObjects / X509Certificate here and
// never again per message.
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.js';
import { errorCode, errorMessage } from '../caught-error.js';

export interface KeyPairPem {
  privateKeyPem: string;
  certificatePem: string;
}

/** A parsed signing identity: the private key and its certificate, ready to use. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly certificatePem: string;
  /** The certificate's base64 DER body, as it goes into ds:X509Certificate. */
  readonly certificateBase64: string;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  daysToExpiry: number;
  expired: boolean;
  keyType: string;
  keyBits: number | undefined;
  sha1: string;
  sha256: string;
}

export function loadSigningKey(pair: KeyPairPem): SigningKey {
  let privateKey: KeyObject;
  let certificate: X509Certificate;
  try {
    privateKey = createPrivateKey(pair.privateKeyPem);
  } catch (err) {
    throw new HarnessError('CONFIG_INVALID', `the private key is not a readable PEM key: ${errorMessage(err)}`);
  }
  try {
    certificate = new X509Certificate(pair.certificatePem);
  } catch (err) {
    throw new HarnessError('CONFIG_INVALID', `the certificate is not a readable PEM certificate: ${errorMessage(err)}`);
  }
  const publicKey = createPublicKey(privateKey);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new HarnessError('CONFIG_INVALID', 'the private key does not belong to the certificate');
  }
  return {
    privateKey,
    publicKey,
    certificate,
    certificatePem: certificate.toString(),
    certificateBase64: certificate.raw.toString('base64'),
  };
}

/** Parses a certificate given as PEM or as the bare base64 body found in metadata. */
export function parseCertificate(text: string): X509Certificate {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) {
    throw new HarnessError('METADATA_INVALID', 'a certificate is not base64', { received: text.slice(0, 60) });
  }
  try {
    const cert = new X509Certificate(Buffer.from(body, 'base64'));
    // Node decodes the public key and the dates only when asked: ask now, so a damaged
    // certificate is refused here rather than throwing wherever it is first used.
    void cert.publicKey;
    if (Number.isNaN(Date.parse(cert.validFrom)) || Number.isNaN(Date.parse(cert.validTo))) throw new Error('the validity dates cannot be read');
    return cert;
  } catch (err) {
    throw new HarnessError('METADATA_INVALID', `a certificate cannot be read: ${errorMessage(err)}`);
  }
}

const pinned = new Map<string, X509Certificate>();
const PINNED_LIMIT = 512;

/**
 * A certificate pinned from metadata (base64 DER), parsed once per distinct value and then
 * reused for every message: the stored records keep the text, this keeps the parsed object.
 */
export function pinnedCertificate(base64: string): X509Certificate {
  let cert = pinned.get(base64);
  if (!cert) {
    cert = parseCertificate(base64);
    if (pinned.size >= PINNED_LIMIT) pinned.delete(pinned.keys().next().value as string);
    pinned.set(base64, cert);
  }
  return cert;
}

export function summarizeCertificate(cert: X509Certificate, nowMs: number): CertificateSummary {
  const notAfter = new Date(cert.validTo).getTime();
  const details = cert.publicKey.asymmetricKeyDetails;
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(notAfter).toISOString(),
    daysToExpiry: Math.floor((notAfter - nowMs) / 86_400_000),
    expired: notAfter <= nowMs,
    keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
    keyBits: details?.modulusLength,
    sha1: cert.fingerprint,
    sha256: cert.fingerprint256,
  };
}

export interface GenerateOptions {
  commonName: string;
  bits?: number;
  days?: number;
  nowMs?: number;
}

/** Generates an RSA key and a self-signed certificate (RSA-SHA256). */
export async function generateKeyPair(opts: GenerateOptions): Promise<KeyPairPem> {
  // Loaded lazily: certificate generation happens once per data directory, and these modules
  // are heavy enough to show in start-up time.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  const { webcrypto } = await import('node:crypto');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: opts.bits ?? 2048,
  };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = opts.nowMs ?? Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${opts.commonName.replace(/[,+="\\<>;]/g, ' ')}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (opts.days ?? 3650) * 86_400_000),
    signingAlgorithm: algorithm,
    keys,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    certificatePem: cert.toString('pem'),
  };
}

/** How long an instance waits for another that is writing the pair in the same directory. */
const PAIR_WAIT_MS = 10_000;

/**
 * Reads `<dir>/<name>.key.pem` and `<dir>/<name>.cert.pem`, generating and saving them first
 * when they do not exist, so exported metadata stays valid across restarts. Instances that share
 * the directory (replicas on one volume) and start together agree on one pair: each writes its
 * pair beside the final names, and the one whose key takes its name first (a hard link, which
 * never replaces a file) publishes its certificate next; the others wait for that certificate
 * and use the winner's pair instead of their own.
 */
export async function ensureKeyPair(dir: string, name: string, commonName: string, opts: { waitMs?: number } = {}): Promise<KeyPairPem> {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  const deadline = performance.now() + (opts.waitMs ?? PAIR_WAIT_MS);
  for (;;) {
    const found = await readPair(keyPath, certPath);
    if (found.pair) return found.pair;
    if (found.state === 'none') {
      const made = await claimPair(keyPath, certPath, commonName, dir);
      if (made) return made;
    } else if (performance.now() > deadline) {
      if (found.state === 'mismatched') {
        throw new HarnessError('CONFIG_INVALID', `${certPath} is not the certificate of ${keyPath}`, {
          expected: 'a private key and the certificate of its public key',
          received: 'a certificate for another key; delete both files to have a new pair made',
        });
      }
      // A key whose certificate never came: its writer died between the two. Start the pair again.
      await unlink(keyPath).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type FoundPair = { pair: KeyPairPem; state?: undefined } | { pair?: undefined; state: 'none' | 'no-certificate' | 'mismatched' };

async function readPair(keyPath: string, certPath: string): Promise<FoundPair> {
  const read = (path: string): Promise<string | undefined> =>
    readFile(path, 'utf8').catch((err: unknown) => {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
      throw err;
    });
  const privateKeyPem = await read(keyPath);
  if (privateKeyPem === undefined) return { state: 'none' };
  const certificatePem = await read(certPath);
  if (certificatePem === undefined) return { state: 'no-certificate' };
  let matches = true;
  try {
    matches = new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKeyPem));
  } catch {
    // Unreadable PEM is reported where the pair is loaded, with the file named.
  }
  return matches ? { pair: { privateKeyPem, certificatePem } } : { state: 'mismatched' };
}

/** Makes a pair and publishes it under the final names, or undefined when another instance's key got there first. */
async function claimPair(keyPath: string, certPath: string, commonName: string, dir: string): Promise<KeyPairPem | undefined> {
  const pair = await generateKeyPair({ commonName });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(keyPath + tmp, pair.privateKeyPem, { mode: 0o600 });
    await writeFile(certPath + tmp, pair.certificatePem, { mode: 0o644 });
    try {
      await link(keyPath + tmp, keyPath);
    } catch (err) {
      if (errorCode(err) === 'EEXIST') return undefined;
      throw err;
    }
    // Replaces a certificate left without its key by an earlier, interrupted start.
    await rename(certPath + tmp, certPath);
    return pair;
  } finally {
    await unlink(keyPath + tmp).catch(() => undefined);
    await unlink(certPath + tmp).catch(() => undefined);
  }
}
