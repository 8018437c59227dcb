// Enveloped XML signatures (exclusive c14n) over SAML elements, through xml-crypto.
import { SignedXml } from 'xml-crypto';
import type { SigningKey } from '../crypto/keys.js';
import { ALGORITHM, SIGNATURE_ALGORITHMS, type SignatureAlgorithmUrn } from './urn.js';

export interface SignElementOptions {
  key: SigningKey;
  algorithm: SignatureAlgorithmUrn;
  /** The ID of the element to sign. */
  id: string;
  /** Local name of the child the Signature goes right after (schema order: after Issuer). */
  after: string;
}

/** Signs the element with this ID and places the Signature right after its `after` child. */
export function signElement(xml: string, opts: SignElementOptions): string {
  const { digest } = SIGNATURE_ALGORITHMS[opts.algorithm];
  const sig = new SignedXml({
    privateKey: opts.key.privateKey,
    // KeyInfo from the already-encoded certificate: xml-crypto would otherwise re-parse the PEM
    // on every signature.
    getKeyInfoContent: (args) => {
      const prefix = args?.prefix;
      const p = prefix ? `${prefix}:` : '';
      return `<${p}X509Data><${p}X509Certificate>${opts.key.certificateBase64}</${p}X509Certificate></${p}X509Data>`;
    },
    signatureAlgorithm: opts.algorithm,
    canonicalizationAlgorithm: ALGORITHM.excC14n,
  });
  // The ID goes into an XPath literal: it is ours (generated) but keep quotes out regardless.
  if (/['"]/.test(opts.id)) throw new Error('signElement: an ID must not contain quotes');
  sig.addReference({
    xpath: `//*[@ID='${opts.id}']`,
    transforms: [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    digestAlgorithm: digest,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `//*[@ID='${opts.id}']/*[local-name()='${opts.after}']`, action: 'after' },
  });
  return sig.getSignedXml();
}
