// The DOM edits of the response scenarios (src/saml/scenarios/), re-exported for the
// validation tests that apply them to responses they build themselves.
import { REFUSED_ALGORITHM } from '../../src/saml/urn.js';

export {
  assertionIn,
  editXml,
  EVIL_NAME_ID,
  nameIdMarkup,
  removeSignatures,
  resign,
  signatureIn,
  signedInfoIn,
  withoutSignature,
} from '../../src/saml/scenarios/dom-edit.js';
export { withDoctype } from '../../src/saml/scenarios/parser.js';
export { wrapAssertionIn, XSW } from '../../src/saml/scenarios/wrapping.js';
export const { hmacSha1: HMAC_SHA1, xslt: XSLT } = REFUSED_ALGORITHM;
