// Stops oversized and malformed input before anything parses it: base64 only, size caps
// on the encoded form and on the XML (catalogue row 24, CVE-2025-25293 class).
import { HarnessError, isHarnessError } from '../../errors.js';
import { decodePostMessage } from '../encoding.js';
import type { ReadCheck } from './types.js';

export const decode: ReadCheck = {
  id: 'decode',
  title: 'SAMLResponse is base64 of UTF-8 XML within the size caps (row 24: oversized input)',
  run(ctx) {
    const { limits } = ctx;
    if (ctx.encoded.trim() === '') {
      throw new HarnessError('SAML_MESSAGE_MISSING', 'the SAMLResponse parameter is empty', {
        expected: 'a base64-encoded samlp:Response',
        received: 'an empty value',
      });
    }
    try {
      ctx.xml = decodePostMessage(ctx.encoded, limits);
    } catch (err) {
      if (isHarnessError(err) && err.details.expected === undefined) {
        throw new HarnessError(err.code, err.message, {
          ...err.details,
          expected: `base64 of UTF-8 XML, at most ${limits.maxXmlBytes} bytes`,
          received: err.message,
        });
      }
      throw err;
    }
    return `${Buffer.byteLength(ctx.xml, 'utf8')} bytes of XML from ${ctx.encoded.length} base64 characters`;
  },
};
