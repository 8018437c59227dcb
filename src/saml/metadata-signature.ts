// What `inspect` says about a metadata signature: whether the EntityDescriptor carries one, and
// whether it verifies with one of the entity's own signing certificates (which shows the IdP
// signed with a key it publishes; trusting that key is another matter: metadata is trusted by
// where it came from, or by a federation's signing key the harness does not know).
import type { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { childElements } from './dom.js';
import { NS } from './urn.js';

export interface MetadataSignature {
  /** SHA-256 fingerprint of the published certificate it verifies with, if any. */
  verifiedBy?: string;
}

/** The EntityDescriptor's enveloped signature checked against `certificates`; undefined when unsigned. */
export function metadataSignature(xml: string, entity: Element, certificates: readonly X509Certificate[]): MetadataSignature | undefined {
  const signature = childElements(entity, NS.dsig, 'Signature')[0];
  if (!signature) return undefined;
  for (const certificate of certificates) {
    try {
      const verifier = new SignedXml({ publicCert: certificate.toString(), getCertFromKeyInfo: () => null });
      verifier.loadSignature(signature);
      const refs = verifier.getReferences();
      const id = entity.getAttribute('ID');
      // The one reference must be the EntityDescriptor itself.
      if (refs.length !== 1 || !id || refs[0]?.uri !== `#${id}`) return {};
      if (verifier.checkSignature(xml)) return { verifiedBy: certificate.fingerprint256 };
    } catch {
      // does not verify with this certificate
    }
  }
  return {};
}
