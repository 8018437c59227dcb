// Direct DOM walks over @xmldom/xmldom documents: no XPath, so a path can only ever match the
// child it names (the `//` selector confusion of ruby-saml CVE-2024-45409 cannot happen).

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

export function childElements(parent: Node, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== ELEMENT_NODE) continue;
    const e = n as Element;
    if (ns !== undefined && e.namespaceURI !== ns) continue;
    if (localName !== undefined && e.localName !== localName) continue;
    out.push(e);
  }
  return out;
}

export function firstChild(parent: Node, ns: string, localName: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE && (n as Element).namespaceURI === ns && (n as Element).localName === localName) {
      return n as Element;
    }
  }
  return undefined;
}

/** Follows a path of [ns, localName] steps through direct children. */
export function childPath(parent: Node, ...steps: [string, string][]): Element | undefined {
  let cur: Node | undefined = parent;
  for (const [ns, name] of steps) {
    if (!cur) return undefined;
    cur = firstChild(cur, ns, name);
  }
  return cur as Element | undefined;
}

/**
 * Every element below `root`, in document order. Iterative, following parent and sibling links:
 * a document nested tens of thousands deep is walked without growing the call stack.
 */
export function* elementsBelow(root: Node): Generator<Element> {
  let n: Node | null = root.firstChild;
  while (n !== null) {
    if (n.nodeType === ELEMENT_NODE) {
      yield n as Element;
      if (n.firstChild !== null) {
        n = n.firstChild;
        continue;
      }
    }
    while (n !== null && n !== root && n.nextSibling === null) n = n.parentNode;
    if (n === null || n === root) return;
    n = n.nextSibling;
  }
}

/** All descendants (document order) with this namespace and local name. */
export function descendants(root: Node, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (const e of elementsBelow(root)) if (e.namespaceURI === ns && e.localName === localName) out.push(e);
  return out;
}

/** Every element carrying an `ID` attribute with this value. */
export function elementsWithId(root: Node, id: string): Element[] {
  const out: Element[] = [];
  for (const e of elementsBelow(root)) if (e.getAttribute('ID') === id) out.push(e);
  return out;
}

/**
 * What DOM textContent gives (the text and CDATA below `node`, comments and processing
 * instructions skipped), read without recursion: xmldom's own getter recurses once per level.
 */
export function textContentOf(node: Node): string {
  if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) return node.nodeValue ?? '';
  const parts: string[] = [];
  let n: Node | null = node.firstChild;
  while (n !== null) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_NODE) parts.push(n.nodeValue ?? '');
    if (n.nodeType === ELEMENT_NODE && n.firstChild !== null) {
      n = n.firstChild;
      continue;
    }
    while (n !== null && n !== node && n.nextSibling === null) n = n.parentNode;
    if (n === null || n === node) break;
    n = n.nextSibling;
  }
  return parts.join('');
}

export function textOf(e: Element | undefined): string | undefined {
  if (!e) return undefined;
  return textContentOf(e).trim();
}

export function attr(e: Element | undefined, name: string): string | undefined {
  if (!e || !e.hasAttribute(name)) return undefined;
  return e.getAttribute(name) ?? undefined;
}
