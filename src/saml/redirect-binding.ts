// HTTP-Redirect binding (SAML bindings §3.4.4.1): DEFLATE + base64 in the query string, with the
// signature computed over the query parameters exactly as they travel. The verifier therefore
// keeps the raw octets it received and never re-encodes them: two encoders rarely agree on the
// characters they escape, so re-encoding turns valid signatures into failures (or worse, lets a
// differently-encoded message pass as the signed one).
import { sign, verify, type X509Certificate } from 'node:crypto';
import type { SigningKey } from '../crypto/keys.js';
import { HarnessError } from '../errors.js';
import { decodeRedirectMessage, DEFAULT_LIMITS, encodeRedirectMessage, type MessageLimits } from './encoding.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithmUrn } from './urn.js';

export type RedirectParam = 'SAMLRequest' | 'SAMLResponse';

export interface RedirectMessage {
  param: RedirectParam;
  xml: string;
  /** Decoded; kept whatever its length (the binding says 80 bytes; the consumer decides). */
  relayState?: string;
  sigAlg?: string;
  /** Base64 signature value, decoded from the query. */
  signature?: string;
  /** The exact octets the signature covers: `SAMLRequest=…&RelayState=…&SigAlg=…` as received. */
  signedBytes?: string;
}

export interface RedirectSigning {
  key: SigningKey;
  algorithm: SignatureAlgorithmUrn;
}

export function buildRedirectUrl(
  endpoint: string,
  param: RedirectParam,
  xml: string,
  opts: { relayState?: string; signing?: RedirectSigning },
): string {
  let query = `${param}=${encodeURIComponent(encodeRedirectMessage(xml))}`;
  if (opts.relayState !== undefined) query += `&RelayState=${encodeURIComponent(opts.relayState)}`;
  if (opts.signing) {
    const { hash } = SIGNATURE_ALGORITHMS[opts.signing.algorithm];
    query += `&SigAlg=${encodeURIComponent(opts.signing.algorithm)}`;
    const signature = sign(hash, Buffer.from(query, 'utf8'), opts.signing.key.privateKey);
    query += `&Signature=${encodeURIComponent(signature.toString('base64'))}`;
  }
  // A fragment never reaches the server; the SAML parameters must go before it.
  const hashAt = endpoint.indexOf('#');
  const base = hashAt < 0 ? endpoint : endpoint.slice(0, hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${query}`;
}

function decodeComponent(raw: string, name: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new HarnessError('SAML_MESSAGE_ENCODING', `the ${name} query parameter has malformed percent-encoding`, {
      expected: 'URL-encoded text (RFC 3986)',
      received: raw.slice(0, 40) + (raw.length > 40 ? '…' : ''),
    });
  }
}

/** Base64 never holds a space: a space here is a '+' the sender forgot to escape. */
function decodeBase64Param(raw: string, name: string): string {
  return decodeComponent(raw, name).replace(/ /g, '+');
}

/**
 * Reads a Redirect-binding message from the raw query string as it arrived (with or without the
 * leading '?'). Parameters other than the SAML ones (e.g. an endpoint's own) are ignored, but no
 * parameter may appear twice: with duplicates, the value the signature covers and the value a
 * framework hands over can differ (HTTP parameter pollution).
 */
export function readRedirectQuery(rawQuery: string, limits: MessageLimits = DEFAULT_LIMITS): RedirectMessage {
  const raw = new Map<string, string>();
  for (const part of (rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq), 'name of a');
    if (raw.has(name)) {
      throw new HarnessError('INPUT_INVALID', `the query has the ${name} parameter more than once`, {
        expected: `one ${name} parameter`,
        received: 'two or more',
      });
    }
    raw.set(name, eq < 0 ? '' : part.slice(eq + 1));
  }
  const request = raw.get('SAMLRequest');
  const response = raw.get('SAMLResponse');
  if (request !== undefined && response !== undefined) {
    throw new HarnessError('INPUT_INVALID', 'the query has both SAMLRequest and SAMLResponse', {
      expected: 'one SAML message',
      received: 'SAMLRequest and SAMLResponse',
    });
  }
  const param: RedirectParam = request !== undefined ? 'SAMLRequest' : 'SAMLResponse';
  const rawMessage = request ?? response;
  if (rawMessage === undefined || rawMessage === '') {
    throw new HarnessError('SAML_MESSAGE_MISSING', 'the query has no SAMLRequest or SAMLResponse parameter', {
      expected: 'SAMLRequest=… or SAMLResponse=… (HTTP-Redirect binding)',
      received: [...raw.keys()].join(', ') || 'an empty query',
    });
  }
  const msg: RedirectMessage = { param, xml: decodeRedirectMessage(decodeBase64Param(rawMessage, param), limits) };
  const rawRelayState = raw.get('RelayState');
  const rawSigAlg = raw.get('SigAlg');
  const rawSignature = raw.get('Signature');
  if (rawRelayState !== undefined) msg.relayState = decodeComponent(rawRelayState, 'RelayState');
  if (rawSigAlg !== undefined) {
    msg.sigAlg = decodeComponent(rawSigAlg, 'SigAlg');
    // Bindings §3.4.4.1: message, then RelayState if present, then SigAlg, in that order.
    msg.signedBytes = `${param}=${rawMessage}${rawRelayState !== undefined ? `&RelayState=${rawRelayState}` : ''}&SigAlg=${rawSigAlg}`;
  }
  if (rawSignature !== undefined) msg.signature = decodeBase64Param(rawSignature, 'Signature');
  return msg;
}

function refuse(message: string, expected: string, received: string): never {
  throw new HarnessError('IDP_REQUEST_SIGNATURE', message, { expected, received });
}

/** Checks the query signature with the given certificates only; 'unsigned' when there is none. */
export function verifyRedirectSignature(
  msg: RedirectMessage,
  certificates: readonly X509Certificate[],
  opts: { allowSha1: boolean },
): 'unsigned' | 'verified' {
  if (msg.signature === undefined && msg.sigAlg === undefined) return 'unsigned';
  if (msg.signature === undefined || msg.sigAlg === undefined || msg.signedBytes === undefined) {
    refuse('the query has only one of Signature and SigAlg', 'both Signature and SigAlg, or neither',
      msg.signature === undefined ? 'SigAlg only' : 'Signature only');
  }
  const algorithm = SIGNATURE_ALGORITHMS[msg.sigAlg as SignatureAlgorithmUrn] as
    (typeof SIGNATURE_ALGORITHMS)[SignatureAlgorithmUrn] | undefined;
  if (!algorithm) refuse('the SigAlg is not a supported signature algorithm', Object.keys(SIGNATURE_ALGORITHMS).join(', '), msg.sigAlg);
  if (algorithm.weak && !opts.allowSha1) {
    refuse('the request is signed with SHA-1, which is refused', 'RSA-SHA256 or RSA-SHA512 (change the signature algorithm of the sender)', msg.sigAlg);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(msg.signature)) refuse('the Signature parameter is not base64', 'base64', msg.signature.slice(0, 40));
  if (certificates.length === 0) refuse('there is no certificate to verify the signature with', 'a signing certificate from the metadata', 'none');
  const signature = Buffer.from(msg.signature, 'base64');
  const data = Buffer.from(msg.signedBytes, 'utf8');
  for (const cert of certificates) {
    if (verify(algorithm.hash, data, cert.publicKey, signature)) return 'verified';
  }
  return refuse('the query signature does not verify with any certificate from the metadata',
    'a signature by the key of a metadata certificate over the query as sent',
    `${msg.sigAlg}; ${certificates.length} certificate(s) tried: ${certificates.map((c) => c.fingerprint256.slice(0, 11)).join(', ')}…`);
}
