// The two SAML encodings: base64 (HTTP-POST) and DEFLATE + base64 (HTTP-Redirect), with size
// caps on both the encoded input and the inflated output (catalogue row 24, CVE-2025-25293).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HarnessError } from '../errors.js';

export const DEFAULT_LIMITS = {
  /** Largest base64 message accepted, in characters. */
  maxEncodedBytes: 512 * 1024,
  /** Largest XML document accepted after decoding / inflating, in bytes. */
  maxXmlBytes: 1024 * 1024,
};
export type MessageLimits = typeof DEFAULT_LIMITS;

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

function asUtf8(bytes: Buffer, limits: MessageLimits): string {
  if (bytes.length > limits.maxXmlBytes) {
    throw new HarnessError('SAML_MESSAGE_TOO_LARGE', `the decoded message is ${bytes.length} bytes`, {
      expected: `at most ${limits.maxXmlBytes} bytes of XML`,
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
  return asUtf8(decodeBase64(value, limits), limits);
}

/** HTTP-Redirect binding: base64 of raw DEFLATE, inflated with an output cap. */
export function decodeRedirectMessage(value: string, limits: MessageLimits = DEFAULT_LIMITS): string {
  const compressed = decodeBase64(value, limits);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: limits.maxXmlBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HarnessError('SAML_MESSAGE_TOO_LARGE', 'the message inflates past the size cap', {
        expected: `at most ${limits.maxXmlBytes} bytes of XML`,
        received: 'more (a deflate bomb?)',
      });
    }
    throw new HarnessError('SAML_MESSAGE_ENCODING', 'the message is not raw DEFLATE data', {
      expected: 'base64 of raw DEFLATE (HTTP-Redirect binding)',
    });
  }
  return asUtf8(inflated, limits);
}

export function encodePostMessage(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function encodeRedirectMessage(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}
