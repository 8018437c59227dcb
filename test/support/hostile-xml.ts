// Documents built to exhaust an XML parser: the shapes the XML limits refuse.
import { NS } from '../../src/saml/urn.js';

const ROOTS = {
  'samlp:Response': NS.protocol,
  'samlp:AuthnRequest': NS.protocol,
  'samlp:LogoutRequest': NS.protocol,
  'md:EntityDescriptor': NS.metadata,
} as const;

/**
 * `depth` elements nested inside `root`, each named with the root's prefix and declaring another
 * one. xmldom 0.8 keeps namespace scope as a chain one link longer per declaring ancestor and
 * resolves every name along it back to the root: quadratic, seconds for a few thousand levels.
 * The document is repetitive, so it deflates to a short Redirect URL.
 */
export function nestedPrefixes(root: keyof typeof ROOTS, depth: number): string {
  const prefix = root.slice(0, root.indexOf(':'));
  const nested = `${`<${prefix}:e xmlns:q="urn:q">`.repeat(depth)}${`</${prefix}:e>`.repeat(depth)}`;
  return `<${root} xmlns:${prefix}="${ROOTS[root]}" ID="_hostile" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">${nested}</${root}>`;
}

/** `count` empty sibling elements inside `root`: a large DOM without any nesting. */
export function flatElements(root: keyof typeof ROOTS, count: number): string {
  const prefix = root.slice(0, root.indexOf(':'));
  return `<${root} xmlns:${prefix}="${ROOTS[root]}" ID="_hostile" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">${'<e/>'.repeat(count)}</${root}>`;
}
