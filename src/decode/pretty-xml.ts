// Indented XML for reading. For display only: re-indenting changes the bytes a signature covers,
// so the output never verifies; verification always runs on the message as received.
import { DOMParser } from '@xmldom/xmldom';

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

function startTag(e: Element): string {
  const attrs = Array.from(e.attributes).map((a) => ` ${a.name}="${escapeAttr(a.value)}"`);
  return `<${e.tagName}${attrs.join('')}`;
}

function render(node: Node, depth: number, indent: string, out: string[]): void {
  const pad = indent.repeat(depth);
  if (node.nodeType === 3) {
    const text = (node.nodeValue ?? '').trim();
    if (text !== '') out.push(`${pad}${escapeText(text)}`);
    return;
  }
  if (node.nodeType === 8) {
    out.push(`${pad}<!--${node.nodeValue ?? ''}-->`);
    return;
  }
  if (node.nodeType !== 1) return;
  const e = node as Element;
  const children = Array.from(e.childNodes);
  if (children.length === 0) {
    out.push(`${pad}${startTag(e)}/>`);
    return;
  }
  if (children.every((c) => c.nodeType === 3)) {
    out.push(`${pad}${startTag(e)}>${escapeText(e.textContent ?? '')}</${e.tagName}>`);
    return;
  }
  out.push(`${pad}${startTag(e)}>`);
  for (const c of children) render(c, depth + 1, indent, out);
  out.push(`${pad}</${e.tagName}>`);
}

/** `xml` re-indented, one element per line; text-only elements stay on one line. */
export function prettyXml(xml: string, indent = '  '): string {
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: () => undefined, fatalError: () => undefined } }).parseFromString(xml, 'text/xml');
  const out: string[] = [];
  for (let n = doc.firstChild; n; n = n.nextSibling) render(n, 0, indent, out);
  return out.join('\n');
}
