// The form of the SAML binding endpoints (HTTP-POST: SAMLRequest or SAMLResponse, RelayState;
// the Redirect binding's fields when a peer posts them), read as bytes and decoded in one pass.
// These endpoints take forms from anyone, and their largest genuine field is a base64 message
// of a few hundred KB: a general-purpose form parser turns that into several large strings
// (the body decoded, flattened, `+` replaced, then percent-decoded) before the message is even
// looked at, and that garbage, not the refusal, was most of what an outsider's largest form cost.
// Here the body stays one Buffer, each field is percent-decoded in place and becomes one string.
import express, { type RequestHandler } from 'express';
import { HarnessError } from '../errors.js';

/** The field's value, when it was sent once (a field sent twice is no value: see readSamlForm). */
export function formField(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** Most fields a SAML binding form may carry (it needs at most five). */
const MAX_FIELDS = 10;

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;

/** The charsets a form may be sent in: UTF-8 (and so US-ASCII), or ISO-8859-1 as HTML allows. */
type FormEncoding = 'utf8' | 'latin1';

/** Each byte's value as a hex digit, or -1. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

/**
 * `bytes[start, end)` as form-urlencoding decodes it: `+` is a space, `%XX` the byte XX, and a `%`
 * not followed by two hex digits stays as it is; the bytes are then read in the form's charset.
 * Decoded in place (what is decoded is never longer than what was read), so a large field costs
 * no buffer of its own: the body's bytes are the reader's to reuse.
 */
function decodeComponent(bytes: Buffer, start: number, end: number, encoding: FormEncoding): string {
  const next = (byte: number, from: number): number => {
    const at = bytes.indexOf(byte, from);
    return at === -1 || at > end ? end : at;
  };
  let percent = next(PERCENT, start);
  let plus = next(PLUS, start);
  if (percent === end && plus === end) return bytes.toString(encoding, start, end);
  let j = start;
  let i = start;
  // The runs between escapes move down whole (a base64 message has an escape every 30 bytes or so).
  for (;;) {
    const at = Math.min(percent, plus);
    bytes.copyWithin(j, i, at);
    j += at - i;
    if (at === end) break;
    if (at === plus) {
      bytes[j++] = SPACE;
      i = at + 1;
      plus = next(PLUS, i);
      continue;
    }
    const high = at + 2 < end ? (HEX[bytes[at + 1] as number] as number) : -1;
    const low = at + 2 < end ? (HEX[bytes[at + 2] as number] as number) : -1;
    if (high >= 0 && low >= 0) {
      bytes[j++] = (high << 4) | low;
      i = at + 3;
    } else {
      bytes[j++] = PERCENT;
      i = at + 1;
    }
    percent = next(PERCENT, i);
  }
  return bytes.toString(encoding, start, j);
}

/**
 * The fields of an application/x-www-form-urlencoded body, in an object without a prototype (the
 * body is decoded in place: its bytes are not to be read again). A field sent more than once keeps all its values, in an array, so that formField() sees none:
 * which of two SAMLResponse fields a peer meant is not for the harness to guess.
 */
export function readSamlForm(bytes: Buffer, encoding: FormEncoding = 'utf8'): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let count = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(AMPERSAND, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      count += 1;
      if (count > MAX_FIELDS) {
        throw new HarnessError('INPUT_INVALID', `the form has more than ${MAX_FIELDS} fields`, {
          expected: `at most ${MAX_FIELDS} fields (a SAML binding form has SAMLRequest or SAMLResponse, RelayState, and for the Redirect binding SigAlg and Signature)`,
        });
      }
      let equals = bytes.indexOf(EQUALS, start);
      if (equals === -1 || equals > end) equals = end;
      const name = decodeComponent(bytes, start, equals, encoding);
      const value = decodeComponent(bytes, Math.min(equals + 1, end), end, encoding);
      const before = fields[name];
      fields[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
    }
    start = end + 1;
  }
  return fields;
}

const CHARSETS: Record<string, FormEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', 'us-ascii': 'utf8', 'iso-8859-1': 'latin1', latin1: 'latin1' };

/**
 * Reads the form of a SAML binding endpoint: at most `limit` bytes (BODY_TOO_LARGE past it,
 * from Content-Length before a byte is read), in UTF-8 unless it names ISO-8859-1 (any other
 * charset is refused). Other content types are left to the routes, which find no fields.
 */
export function samlForm(limit: number): RequestHandler {
  const raw = express.raw({ type: 'application/x-www-form-urlencoded', limit });
  return (req, res, next) => {
    raw(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      if (!Buffer.isBuffer(req.body)) return next();
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
      const encoding = Object.hasOwn(CHARSETS, charset) ? CHARSETS[charset] : undefined;
      if (encoding === undefined) {
        return next(new HarnessError('INPUT_INVALID', `the form is in the charset ${charset}`, { expected: 'application/x-www-form-urlencoded in UTF-8 (or ISO-8859-1)' }));
      }
      try {
        req.body = readSamlForm(req.body, encoding);
      } catch (e) {
        return next(e);
      }
      next();
    });
  };
}
