// Indented XML for reading. For display only: re-indenting changes the bytes a signature covers,
// so the output never verifies; verification always runs on the message as received.
import { DOMParser } from '@xmldom/xmldom';
import { isHarnessError } from '../errors.js';
import { checkXmlLimits, MESSAGE_XML_LIMITS } from '../saml/xml-limits.js';

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

function startTag(e: Element): string {
  const attrs = Array.from(e.attributes).map((a) => ` ${a.name}="${escapeAttr(a.value)}"`);
  return `<${e.tagName}${attrs.join('')}`;
}

/** Indentation stops growing here: past it, the padding alone would outgrow what a string can hold. */
const MAX_INDENT_DEPTH = 64;

/** One line per element; a loop with its own stack, so any nesting depth the parser accepts prints. */
function render(root: Node, indent: string, out: string[]): void {
  const stack: { node: Node; depth: number; close?: string }[] = [{ node: root, depth: 0 }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { node, depth, close } = frame;
    const pad = indent.repeat(Math.min(depth, MAX_INDENT_DEPTH));
    if (close !== undefined) {
      out.push(`${pad}</${close}>`);
      continue;
    }
    if (node.nodeType === 3) {
      const text = (node.nodeValue ?? '').trim();
      if (text !== '') out.push(`${pad}${escapeText(text)}`);
      continue;
    }
    if (node.nodeType === 8) {
      out.push(`${pad}<!--${node.nodeValue ?? ''}-->`);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const e = node as Element;
    const children = Array.from(e.childNodes);
    if (children.length === 0) {
      out.push(`${pad}${startTag(e)}/>`);
      continue;
    }
    if (children.every((c) => c.nodeType === 3)) {
      out.push(`${pad}${startTag(e)}>${escapeText(e.textContent ?? '')}</${e.tagName}>`);
      continue;
    }
    out.push(`${pad}${startTag(e)}>`);
    stack.push({ node: e, depth, close: e.tagName });
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] as Node, depth: depth + 1 });
  }
}

/**
 * `xml` parsed for display, or undefined when it cannot be shown indented: past the XML limits or
 * with tags that are not well-formed (the trace keeps refused messages, and those never reach the
 * parser), or not XML with a document element at all (an empty, truncated or garbled message).
 * Lenient where a peer is strict (comments, say, are kept): it is only read, never trusted.
 */
export function parseForDisplay(xml: string): Document | undefined {
  try {
    checkXmlLimits(xml, MESSAGE_XML_LIMITS);
  } catch (err) {
    if (isHarnessError(err)) return undefined;
    throw err;
  }
  let faults = 0;
  const fault = () => {
    faults += 1;
  };
  let doc: Document | undefined;
  try {
    doc = new DOMParser({ errorHandler: { warning: () => undefined, error: fault, fatalError: fault } }).parseFromString(xml, 'text/xml') as Document | undefined;
  } catch {
    return undefined;
  }
  return doc?.documentElement && faults === 0 ? doc : undefined;
}

/** A parsed document re-indented, one element per line. */
export function printDocument(doc: Document, indent = '  '): string {
  const out: string[] = [];
  for (let n = doc.firstChild; n; n = n.nextSibling) render(n, indent, out);
  return out.join('\n');
}

/** `xml` re-indented, one element per line, or undefined when it cannot be (see parseForDisplay). A caller shows such text as it is. */
export function tryPrettyXml(xml: string, indent = '  '): string | undefined {
  const doc = parseForDisplay(xml);
  return doc && printDocument(doc, indent);
}

/** `xml` re-indented, one element per line; text-only elements stay on one line; text that is not XML as it is. */
export function prettyXml(xml: string, indent = '  '): string {
  return tryPrettyXml(xml, indent) ?? xml;
}
