// The elements of an EncryptedAssertion that its decryption will use, made unambiguous before any
// key is touched. xml-encryption finds its elements by local name alone, in any namespace, taking
// the first in document order (EncryptedData/EncryptionMethod, KeyInfo/EncryptedKey, the key's
// EncryptionMethod with its DigestMethod, OAEPparams and MGF, each CipherData/CipherValue, and an
// EncryptedKey by Id through RetrievalMethod), while the algorithm policy reads the elements in
// their own namespaces. A decoy <x:EncryptionMethod> placed first would be used by the one and
// unseen by the other: AES-CBC decrypted on an account that refuses it. So each of those names
// may occur only in its own namespace, at its one place, at most once there; then the first
// element by name is the element the policy checked, for the content and the key alike.
import { childElements, elementsBelow } from './dom.js';
import { NS } from './urn.js';

/** The local names xml-encryption looks up; outside its one place, each is refused. */
const LOOKED_UP = new Set([
  'EncryptedData',
  'EncryptedKey',
  'EncryptionMethod',
  'CipherData',
  'CipherValue',
  'KeyInfo',
  'RetrievalMethod',
  'DigestMethod',
  'OAEPparams',
  'MGF',
]);

/** An EncryptedAssertion whose structure the SP does not accept; its structure is public, so naming the fault leaks nothing. */
export class EncryptionShapeRefused extends Error {
  constructor(
    message: string,
    readonly received: string,
  ) {
    super(message);
    this.name = 'EncryptionShapeRefused';
  }
}

export interface EncryptedAssertionParts {
  data: Element;
  key: Element;
  dataMethod: Element;
  keyMethod: Element;
}

function describe(e: Element): string {
  return `${e.localName} in ${e.namespaceURI ?? 'no namespace'}`;
}

function exactlyOne(found: Element[], what: string): Element {
  const [first] = found;
  if (found.length !== 1 || !first) throw new EncryptionShapeRefused(`the EncryptedAssertion must hold exactly one ${what}`, `${found.length} ${what}`);
  return first;
}

function atMostOne(found: Element[], what: string): Element | undefined {
  if (found.length > 1) throw new EncryptionShapeRefused(`the EncryptedAssertion may hold at most one ${what}`, `${found.length} ${what}`);
  return found[0];
}

/** A CipherData with its one CipherValue (no CipherReference: nothing is fetched). */
function cipherData(parent: Element, what: string): Element[] {
  const data = exactlyOne(childElements(parent, NS.xenc, 'CipherData'), `xenc:CipherData in the ${what}`);
  return [data, exactlyOne(childElements(data, NS.xenc, 'CipherValue'), `xenc:CipherValue in the ${what}'s CipherData`)];
}

/**
 * The one EncryptedData and the one EncryptedKey (in EncryptedData/KeyInfo, or beside
 * EncryptedData) with their EncryptionMethods, after refusing any element the decryptor could
 * pick in their place.
 */
export function encryptedAssertionParts(encrypted: Element): EncryptedAssertionParts {
  const data = exactlyOne(childElements(encrypted, NS.xenc, 'EncryptedData'), 'xenc:EncryptedData');
  const besideData = childElements(encrypted, NS.xenc, 'EncryptedKey');
  const others = childElements(encrypted).filter((e) => e !== data && !besideData.includes(e));
  if (others.length > 0) {
    throw new EncryptionShapeRefused(
      'the EncryptedAssertion must hold one xenc:EncryptedData and, optionally, xenc:EncryptedKey elements only',
      others.map(describe).join(', '),
    );
  }
  const dataKeyInfo = atMostOne(childElements(data, NS.dsig, 'KeyInfo'), 'ds:KeyInfo in the EncryptedData');
  const inKeyInfo = dataKeyInfo ? childElements(dataKeyInfo, NS.xenc, 'EncryptedKey') : [];
  const key = exactlyOne([...inKeyInfo, ...besideData], 'xenc:EncryptedKey (in EncryptedData/KeyInfo or beside EncryptedData)');
  const dataMethod = exactlyOne(childElements(data, NS.xenc, 'EncryptionMethod'), 'xenc:EncryptionMethod in the EncryptedData');
  const keyMethod = exactlyOne(childElements(key, NS.xenc, 'EncryptionMethod'), 'xenc:EncryptionMethod in the EncryptedKey');
  const optional = (parent: Element | undefined, ns: string, name: string, what: string): Element[] => {
    const one = parent && atMostOne(childElements(parent, ns, name), what);
    return one ? [one] : [];
  };
  const placed = new Set<Element>([
    data,
    key,
    dataMethod,
    keyMethod,
    ...cipherData(data, 'EncryptedData'),
    ...cipherData(key, 'EncryptedKey'),
    ...(dataKeyInfo ? [dataKeyInfo] : []),
    ...optional(dataKeyInfo, NS.dsig, 'RetrievalMethod', 'ds:RetrievalMethod in the EncryptedData/KeyInfo'),
    ...optional(key, NS.dsig, 'KeyInfo', 'ds:KeyInfo in the EncryptedKey'),
    ...optional(keyMethod, NS.dsig, 'DigestMethod', 'ds:DigestMethod in the key EncryptionMethod'),
    ...optional(keyMethod, NS.xenc, 'OAEPparams', 'xenc:OAEPparams in the key EncryptionMethod'),
    ...optional(keyMethod, NS.xenc11, 'MGF', 'xenc11:MGF in the key EncryptionMethod'),
  ]);
  for (const e of elementsBelow(encrypted)) {
    if (LOOKED_UP.has(e.localName ?? '') && !placed.has(e)) {
      throw new EncryptionShapeRefused(
        `the EncryptedAssertion holds a ${e.localName} element outside its place (a decryptor reading by name could use it instead of the one checked)`,
        `${describe(e)}, under ${e.parentNode && e.parentNode.nodeType === 1 ? describe(e.parentNode as Element) : 'the document'}`,
      );
    }
  }
  return { data, key, dataMethod, keyMethod };
}
