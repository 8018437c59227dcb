// Enveloped XML signatures over elements the harness builds itself: the digest and the signed
// SignedInfo come from the exclusive canonical form written straight from the tree, so signing
// costs one hash and one RSA operation instead of parsing the document back (what xml-crypto's
// SignedXml does, several times per signature). The output has the same shape as signElement's
// (src/saml/signature.ts), which stays in use for documents edited as DOM (attack scenarios,
// encrypted assertions).
import { createHash, sign } from 'node:crypto';
import type { SigningKey } from '../crypto/keys.js';
import { exclusiveCanonical, scopeInside, type NamespaceScope } from './exclusive-c14n.js';
import { ALGORITHM, NS, SIGNATURE_ALGORITHMS, type SignatureAlgorithmUrn } from './urn.js';
import { el, type XmlChild, type XmlNode } from './xml-builder.js';

export interface TreeSigning {
  key: SigningKey;
  algorithm: SignatureAlgorithmUrn;
}

const DIGEST_HASH = { [ALGORITHM.sha256]: 'sha256', [ALGORITHM.sha384]: 'sha384', [ALGORITHM.sha512]: 'sha512', [ALGORITHM.sha1]: 'sha1' } as const;

/**
 * A copy of `node` (whose ID attribute is `ID`) with an enveloped ds:Signature inserted right
 * after its child named `after` (schema order: after saml:Issuer). `outer` holds the namespaces
 * declared by the ancestors `node` will be placed under.
 */
export function signNode(node: XmlNode, signing: TreeSigning, opts: { after: string; outer?: NamespaceScope }): XmlNode {
  const id = node.attrs.ID;
  if (typeof id !== 'string' || id === '') throw new Error(`signNode: <${node.name}> has no ID attribute`);
  const at = node.children.findIndex((c) => typeof c === 'object' && c !== null && c.name === opts.after);
  if (at < 0) throw new Error(`signNode: <${node.name}> has no child <${opts.after}> to place the Signature after`);
  const outer = opts.outer ?? new Map<string, string>();
  const { digest, hash } = SIGNATURE_ALGORITHMS[signing.algorithm];
  // The enveloped-signature transform removes the Signature again, so the reference digest is over
  // the element as it is now.
  const digestValue = createHash(DIGEST_HASH[digest]).update(exclusiveCanonical(node, outer), 'utf8').digest('base64');
  const signedInfo = el(
    'ds:SignedInfo',
    {},
    el('ds:CanonicalizationMethod', { Algorithm: ALGORITHM.excC14n }),
    el('ds:SignatureMethod', { Algorithm: signing.algorithm }),
    el(
      'ds:Reference',
      { URI: `#${id}` },
      el('ds:Transforms', {}, el('ds:Transform', { Algorithm: ALGORITHM.envelopedSignature }), el('ds:Transform', { Algorithm: ALGORITHM.excC14n })),
      el('ds:DigestMethod', { Algorithm: digest }),
      el('ds:DigestValue', {}, digestValue),
    ),
  );
  // SignedInfo sits in ds:Signature, which declares the ds prefix.
  const signedInfoScope = new Map([...scopeInside(node, outer), ['ds', NS.dsig]]);
  const signatureValue = sign(hash, Buffer.from(exclusiveCanonical(signedInfo, signedInfoScope), 'utf8'), signing.key.privateKey).toString('base64');
  const signature = el(
    'ds:Signature',
    { 'xmlns:ds': NS.dsig },
    signedInfo,
    el('ds:SignatureValue', {}, signatureValue),
    el('ds:KeyInfo', {}, el('ds:X509Data', {}, el('ds:X509Certificate', {}, signing.key.certificateBase64))),
  );
  const children: XmlChild[] = [...node.children.slice(0, at + 1), signature, ...node.children.slice(at + 1)];
  return { name: node.name, attrs: node.attrs, children };
}
