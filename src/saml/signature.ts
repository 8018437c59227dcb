// Enveloped XML signatures (exclusive c14n) over SAML elements, through xml-crypto.
import { createHash, sign, verify, type BinaryLike, type KeyLike } from 'node:crypto';
import { createOptionalCallbackFunction, SignedXml, type HashAlgorithm, type SignatureAlgorithm } from 'xml-crypto';
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

// xml-crypto 6 registers rsa-sha1/256/512 only; rsa-sha384 and sha384 are added per instance.
class RsaSha384 implements SignatureAlgorithm {
  getSignature = createOptionalCallbackFunction((signedInfo: BinaryLike, privateKey: KeyLike): string =>
    sign('sha384', typeof signedInfo === 'string' ? Buffer.from(signedInfo, 'utf8') : signedInfo, privateKey).toString('base64'),
  );
  verifySignature = createOptionalCallbackFunction((material: string, key: KeyLike, signatureValue: string): boolean =>
    verify('sha384', Buffer.from(material, 'utf8'), key, Buffer.from(signatureValue, 'base64')),
  );
  getAlgorithmName = (): string => ALGORITHM.rsaSha384;
}

class Sha384 implements HashAlgorithm {
  getHash = (xml: string): string => createHash('sha384').update(xml, 'utf8').digest('base64');
  getAlgorithmName = (): string => ALGORITHM.sha384;
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
  sig.SignatureAlgorithms[ALGORITHM.rsaSha384] = RsaSha384;
  sig.HashAlgorithms[ALGORITHM.sha384] = Sha384;
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
