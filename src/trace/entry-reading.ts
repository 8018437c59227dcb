// What the trace viewer reads from a recorded message: the binding's short name, the signature
// details (for display only: nothing here verifies), the user it names, and whether it may be
// parsed again at all.
import { X509Certificate } from 'node:crypto';
import { attr, descendants, firstChild, textOf } from '../saml/dom.js';
import { documentElement, parseXml } from '../saml/parse.js';
import { BINDING, NS } from '../saml/urn.js';
import type { TraceEntry } from './trace-log.js';
import { errorMessage } from '../caught-error.js';

export interface SignatureDetails {
  /** The signed element: `Response`, `Assertion`, … */
  signedElement: string;
  signatureAlgorithm: string | undefined;
  digestAlgorithm: string | undefined;
  referenceUri: string | undefined;
  certificate?: { subject: string; issuer: string; sha256: string; validTo: string } | { unreadable: string };
}

/** Short names for the bindings the harness records. */
export function bindingName(binding: string | undefined): string | undefined {
  if (binding === BINDING.redirect) return 'HTTP-Redirect';
  if (binding === BINDING.post) return 'HTTP-POST';
  if (binding === BINDING.artifact) return 'HTTP-Artifact';
  return binding;
}

function certificateOf(base64: string | undefined): SignatureDetails['certificate'] {
  if (base64 === undefined) return undefined;
  try {
    const cert = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    return { subject: cert.subject.replace(/\n/g, ', '), issuer: cert.issuer.replace(/\n/g, ', '), sha256: cert.fingerprint256, validTo: cert.validTo };
  } catch (err) {
    return { unreadable: errorMessage(err) };
  }
}

/** Every ds:Signature under `root`, read for display only (nothing here verifies anything). */
export function signatureDetails(root: Element): SignatureDetails[] {
  return descendants(root, NS.dsig, 'Signature').map((sig) => {
    const signedInfo = firstChild(sig, NS.dsig, 'SignedInfo');
    const reference = signedInfo && firstChild(signedInfo, NS.dsig, 'Reference');
    const parent = sig.parentNode as Element | null;
    const parentId = parent ? attr(parent, 'ID') : undefined;
    const x509 = descendants(sig, NS.dsig, 'X509Certificate')[0];
    const certificate = certificateOf(textOf(x509));
    return {
      signedElement: `${parent?.localName ?? '?'}${parentId ? ` ${parentId}` : ''}`,
      signatureAlgorithm: attr(signedInfo && firstChild(signedInfo, NS.dsig, 'SignatureMethod'), 'Algorithm'),
      digestAlgorithm: attr(reference && firstChild(reference, NS.dsig, 'DigestMethod'), 'Algorithm'),
      referenceUri: attr(reference, 'URI'),
      ...(certificate && { certificate }),
    };
  });
}

/** Users already read from entries: the list page would otherwise parse every stored message on each view. */
const usersOfEntries = new WeakMap<TraceEntry, { user: string | undefined }>();

/** The user a message names: the NameID of its assertion, of a LogoutRequest or of an AuthnRequest's Subject; none for a truncated message. */
export function userOf(entry: TraceEntry): string | undefined {
  const known = usersOfEntries.get(entry);
  if (known) return known.user;
  let user: string | undefined;
  if (entry.xml !== undefined && entry.xmlTruncatedFrom === undefined && !refusedAsXml(entry)) {
    try {
      const nameId = descendants(documentElement(parseXml(entry.xml)), NS.assertion, 'NameID')[0];
      user = textOf(nameId)?.trim() || undefined;
    } catch {
      user = undefined;
    }
  }
  usersOfEntries.set(entry, { user });
  return user;
}

/**
 * A message refused for its XML (malformed, forbidden constructs, beyond a limit) is not parsed
 * again for display: it would fail again, at the same cost the refusal avoided.
 */
export function refusedAsXml(e: TraceEntry): boolean {
  return e.verdict === 'rejected' && (e.error?.code.startsWith('SAML_XML_') ?? false);
}
