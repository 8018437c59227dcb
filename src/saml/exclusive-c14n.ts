// Exclusive XML canonicalization (xml-exc-c14n, without comments) of a tree we built ourselves,
// written straight from the tree: the bytes a verifier computes after parsing our rendering of
// the same tree. It lets the IdP digest and sign what it builds without parsing it back.
//
// What the rules do here (https://www.w3.org/TR/xml-exc-c14n/, https://www.w3.org/TR/xml-c14n/):
// - a namespace declaration is output on an element only where its prefix is visibly used (the
//   element's own prefix or one of its attributes') and no output ancestor already declared the
//   same binding; prefixes used only inside content (xsi:type="xs:string") are not tracked;
// - namespace declarations first, sorted by prefix (the default namespace first), then the
//   attributes sorted by namespace URI and local name (unqualified ones first);
// - empty elements as a start and an end tag; text escapes & < > and CR; attribute values escape
//   & < " TAB LF CR.
// Whether this equals what a parser-based canonicalizer computes is checked by tests against
// xml-crypto over generated values, including markup, whitespace and non-ASCII text.
import { NS } from './urn.js';
import type { XmlChild, XmlNode } from './xml-builder.js';

/** Prefix → namespace URI; '' is the default namespace. */
export type NamespaceScope = ReadonlyMap<string, string>;


function splitName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

function isDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

function declaredPrefix(name: string): string {
  return name === 'xmlns' ? '' : name.slice(6);
}

/** The namespaces in scope inside `node`, given those in scope around it. */
export function scopeInside(node: XmlNode, outer: NamespaceScope): NamespaceScope {
  let scope: Map<string, string> | undefined;
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value === undefined || value === null || !isDeclaration(name)) continue;
    scope ??= new Map(outer);
    scope.set(declaredPrefix(name), String(value));
  }
  return scope ?? outer;
}

export function canonicalText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

export function canonicalAttr(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '"':
        return '&quot;';
      case '\t':
        return '&#x9;';
      case '\n':
        return '&#xA;';
      default:
        return '&#xD;';
    }
  });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function renderElement(node: XmlNode, outer: NamespaceScope, rendered: NamespaceScope): string {
  const scope = scopeInside(node, outer);
  const element = splitName(node.name);
  const attrs: { uri: string; local: string; name: string; value: string }[] = [];
  const used = new Set<string>([element.prefix]);
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value === undefined || value === null || isDeclaration(name)) continue;
    const { prefix, local } = splitName(name);
    let uri = '';
    if (prefix === 'xml') uri = NS.xml;
    else if (prefix !== '') {
      const bound = scope.get(prefix);
      if (bound === undefined) throw new Error(`exclusive c14n: the prefix "${prefix}" of attribute ${name} is not declared`);
      uri = bound;
      used.add(prefix);
    }
    attrs.push({ uri, local, name, value: String(value) });
  }

  const declarations: { prefix: string; uri: string }[] = [];
  let inner: Map<string, string> | undefined;
  for (const prefix of used) {
    const uri = scope.get(prefix) ?? '';
    if (prefix !== '' && uri === '') throw new Error(`exclusive c14n: the prefix "${prefix}" of <${node.name}> is not declared`);
    // An unprefixed element outside any default namespace needs xmlns="" only when an output
    // ancestor declared a default namespace.
    if ((rendered.get(prefix) ?? '') === uri) continue;
    declarations.push({ prefix, uri });
    inner ??= new Map(rendered);
    inner.set(prefix, uri);
  }
  declarations.sort((a, b) => compare(a.prefix, b.prefix));
  attrs.sort((a, b) => compare(a.uri, b.uri) || compare(a.local, b.local));

  let out = `<${node.name}`;
  for (const d of declarations) out += d.prefix === '' ? ` xmlns="${canonicalAttr(d.uri)}"` : ` xmlns:${d.prefix}="${canonicalAttr(d.uri)}"`;
  for (const a of attrs) out += ` ${a.name}="${canonicalAttr(a.value)}"`;
  out += '>';
  for (const child of node.children) out += renderChild(child, scope, inner ?? rendered);
  return `${out}</${node.name}>`;
}

function renderChild(child: XmlChild, scope: NamespaceScope, rendered: NamespaceScope): string {
  if (child === null || child === undefined || child === false) return '';
  if (typeof child === 'string') return canonicalText(child);
  return renderElement(child, scope, rendered);
}

/**
 * The exclusive canonical form of `node` as the apex of a signed subtree, where `outer` holds the
 * namespaces its ancestors declare (they matter only where the subtree uses their prefixes).
 */
export function exclusiveCanonical(node: XmlNode, outer: NamespaceScope = new Map()): string {
  return renderElement(node, outer, new Map());
}
