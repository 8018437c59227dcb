// Signed metadata: an enveloped signature over the whole md:EntityDescriptor, placed as its first
// child as the metadata schema requires (before Extensions and the role descriptors), exclusive
// c14n like the response signatures.
import { SignedXml } from 'xml-crypto';
import type { SigningKey } from '../crypto/keys.js';
import { ALGORITHM, SIGNATURE_ALGORITHMS, type SignatureAlgorithmUrn } from './urn.js';

export interface SignMetadataOptions {
  key: SigningKey;
  algorithm: SignatureAlgorithmUrn;
  /** EntityDescriptor/@ID (see IdpMetadataInput.id). */
  id: string;
}

export function signMetadata(xml: string, opts: SignMetadataOptions): string {
  if (/['"]/.test(opts.id)) throw new Error('signMetadata: an ID must not contain quotes');
  const sig = new SignedXml({
    privateKey: opts.key.privateKey,
    getKeyInfoContent: (args) => {
      const p = args?.prefix ? `${args.prefix}:` : '';
      return `<${p}X509Data><${p}X509Certificate>${opts.key.certificateBase64}</${p}X509Certificate></${p}X509Data>`;
    },
    signatureAlgorithm: opts.algorithm,
    canonicalizationAlgorithm: ALGORITHM.excC14n,
  });
  sig.addReference({
    xpath: `/*[@ID='${opts.id}']`,
    transforms: [ALGORITHM.envelopedSignature, ALGORITHM.excC14n],
    digestAlgorithm: SIGNATURE_ALGORITHMS[opts.algorithm].digest,
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `/*[@ID='${opts.id}']`, action: 'prepend' } });
  return sig.getSignedXml();
}
