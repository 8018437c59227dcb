// Exclusive canonicalization of a SignedInfo and of a signed element, on the already parsed
// document (xml-crypto's checkSignature would parse the whole message again for each signature).
// Only the transforms the shape check allows are implemented: enveloped-signature, then
// exc-c14n without comments, so comments never reach the digest (row 12).
import { ExclusiveCanonicalization } from 'xml-crypto';
import { firstChild } from '../dom.js';
import { ALGORITHM, NS } from '../urn.js';
import type { SignedInfoFields } from './signed-info.js';

interface NamespaceBinding {
  prefix: string;
  namespaceURI: string;
}

/**
 * exc-c14n that leaves out one node: the enveloped-signature transform without deep-cloning the
 * signed element first (a clone of an xmldom subtree costs more than the whole canonicalization).
 */
class ExclusiveCanonicalizationWithout extends ExclusiveCanonicalization {
  constructor(private readonly omitted: Node | undefined) {
    super();
  }

  override processInner(node: Node, ...rest: [unknown, unknown, unknown, string[]]): string {
    return node === this.omitted ? '' : super.processInner(node, ...rest);
  }
}

const excC14n = new ExclusiveCanonicalization();

/** Namespace declarations in scope from the ancestors (nearest wins), minus those the element redeclares. */
function ancestorNamespaces(element: Element): NamespaceBinding[] {
  const own = new Set<string>([element.prefix ?? '']);
  for (const a of Array.from(element.attributes)) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) own.add(a.name.slice(6));
  }
  const seen = new Set<string>();
  const out: NamespaceBinding[] = [];
  for (let p = element.parentNode; p && p.nodeType === 1; p = p.parentNode) {
    for (const a of Array.from((p as Element).attributes)) {
      if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
      const prefix = a.name.slice(6);
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      if (a.value !== '' && !own.has(prefix)) out.push({ prefix, namespaceURI: a.value });
    }
  }
  return out;
}

/** The octets the SignatureValue is computed over. */
export function canonicalSignedInfo(signedInfo: Element): string {
  // exc-c14n writes InclusiveNamespaces declarations onto the element it is given: copy it then.
  const method = firstChild(signedInfo, NS.dsig, 'CanonicalizationMethod');
  const element = method?.firstChild ? (signedInfo.cloneNode(true) as Element) : signedInfo;
  return excC14n.process(element, { ancestorNamespaces: ancestorNamespaces(signedInfo) });
}

/** The octets the Reference's DigestValue is computed over (the signed bytes). */
export function canonicalReference(target: Element, info: SignedInfoFields): string {
  const options = { inclusiveNamespacesPrefixList: info.prefixList, ancestorNamespaces: ancestorNamespaces(target) };
  const enveloped = info.transforms.includes(ALGORITHM.envelopedSignature);
  // With a PrefixList, exc-c14n writes the inherited declarations onto the element it is given:
  // give it a copy then, so the received document stays as received.
  const element = info.prefixList.length > 0 ? (target.cloneNode(true) as Element) : target;
  const signature = enveloped ? firstChild(element, NS.dsig, 'Signature') : undefined;
  return new ExclusiveCanonicalizationWithout(signature).process(element, options);
}
