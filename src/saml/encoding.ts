// The two SAML encodings: base64 (HTTP-POST) and DEFLATE + base64 (HTTP-Redirect), with size
// caps on both the encoded input and the inflated output (catalogue row 24, CVE-2025-25293).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HarnessError } from '../errors.js';
import { errorCode } from '../caught-error.js';

export interface MessageLimits {
  /** Largest base64 message accepted, in characters. */
  maxEncodedBytes: number;
  /** Largest XML document accepted after decoding (HTTP-POST), in bytes. */
  maxXmlBytes: number;
  /**
   * Largest XML document a Redirect-binding message may inflate to, in bytes. The binding carries
   * requests and logout messages, a few KB each; a deflate bomb costs its sender a few KB of URL
   * per MB of XML, so the cap is set by what a real message needs. REDIRECT_MAX_XML_BYTES unless given.
   */
  maxInflatedXmlBytes?: number;
}

/** A genuine AuthnRequest, LogoutRequest or LogoutResponse is 1-5 KB; 64 KiB is ten times the largest. */
export const REDIRECT_MAX_XML_BYTES = 64 * 1024;

/**
 * HTTP-POST messages: a genuine response is 5-50 KB (an encrypted assertion or a user in many
 * groups at the top of that range); 256 KiB of base64 (192 KiB of XML) is five times the largest,
 * near ruby-saml's 250,000-byte cap (CVE-2025-25293), and keeps the cost of refusing the largest
 * message an unauthenticated client may send to a few milliseconds.
 */
export const POST_MAX_ENCODED_BYTES = 256 * 1024;

export const DEFAULT_LIMITS: MessageLimits = {
  maxEncodedBytes: POST_MAX_ENCODED_BYTES,
  maxXmlBytes: 1024 * 1024,
  maxInflatedXmlBytes: REDIRECT_MAX_XML_BYTES,
};

/**
 * The largest form body a SAML binding endpoint reads: the largest message once a browser has
 * percent-encoded its `+`, `/` and `=` (about 6% more for base64), with room for RelayState and
 * the Redirect binding's signature fields. Anything larger is refused before it is read.
 */
export const SAML_FORM_MAX_BODY_BYTES = Math.ceil(POST_MAX_ENCODED_BYTES * 1.25) + 16 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(value: string, limits: MessageLimits): Buffer {
  if (value.length > limits.maxEncodedBytes) {
    throw new HarnessError('SAML_MESSAGE_TOO_LARGE', `the encoded message is ${value.length} bytes`, {
      expected: `at most ${limits.maxEncodedBytes} bytes`,
      received: `${value.length} bytes`,
    });
  }
  const compact = value.replace(/[\r\n\t ]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new HarnessError('SAML_MESSAGE_ENCODING', 'the message is not valid base64', {
      expected: 'base64 (RFC 4648) text',
      received: value.slice(0, 40) + (value.length > 40 ? '…' : ''),
    });
  }
  return Buffer.from(compact, 'base64');
}

function asUtf8(bytes: Buffer, maxXmlBytes: number): string {
  if (bytes.length > maxXmlBytes) {
    throw new HarnessError('SAML_MESSAGE_TOO_LARGE', `the decoded message is ${bytes.length} bytes`, {
      expected: `at most ${maxXmlBytes} bytes of XML`,
      received: `${bytes.length} bytes`,
    });
  }
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD')) {
    throw new HarnessError('SAML_MESSAGE_ENCODING', 'the decoded message is not UTF-8 text');
  }
  return text;
}

/** HTTP-POST binding: plain base64. */
export function decodePostMessage(value: string, limits: MessageLimits = DEFAULT_LIMITS): string {
  return asUtf8(decodeBase64(value, limits), limits.maxXmlBytes);
}

/** HTTP-Redirect binding: base64 of raw DEFLATE, inflated with an output cap (64 KiB unless given). */
export function decodeRedirectMessage(value: string, limits: MessageLimits = DEFAULT_LIMITS): string {
  const compressed = decodeBase64(value, limits);
  const cap = Math.min(limits.maxInflatedXmlBytes ?? REDIRECT_MAX_XML_BYTES, limits.maxXmlBytes);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: cap });
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HarnessError('SAML_MESSAGE_TOO_LARGE', `the HTTP-Redirect message inflates past the cap of ${cap} bytes`, {
        expected: `at most ${cap} bytes of XML (a genuine request or logout message is a few KB)`,
        received: 'more (a deflate bomb?)',
      });
    }
    throw new HarnessError('SAML_MESSAGE_ENCODING', 'the message is not raw DEFLATE data', {
      expected: 'base64 of raw DEFLATE (HTTP-Redirect binding)',
    });
  }
  return asUtf8(inflated, cap);
}

export function encodePostMessage(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function encodeRedirectMessage(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}
