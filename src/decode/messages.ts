// Finds the SAML messages in whatever a person pastes or saves: a raw base64 value (HTTP-POST),
// a deflated one (HTTP-Redirect), a URL or query string, an HTML auto-post form, the XML itself,
// or a HAR file (every message its requests carried, in order). Pure: text in, messages out.
import { HarnessError, isHarnessError } from '../errors.js';
import { readAutoPostForm } from '../saml/post-form-page.js';
import { decodePostMessage, decodeRedirectMessage, DEFAULT_LIMITS, type MessageLimits } from '../saml/encoding.js';
import { documentElement, parseXml } from '../saml/parse.js';
import { readRedirectQuery } from '../saml/redirect-binding.js';
import { NS } from '../saml/urn.js';
import { errorMessage } from '../caught-error.js';

export type InputKind = 'xml' | 'base64' | 'deflated' | 'url' | 'form' | 'har';

export interface FoundMessage {
  /** Where it came from: `base64`, `url`, `HAR entry 3: GET https://…`. */
  source: string;
  binding: 'post' | 'redirect';
  param: 'SAMLRequest' | 'SAMLResponse';
  /** The value as it travelled (base64, still deflated for Redirect). */
  encoded: string;
  xml: string;
  /** Local name of the document element: AuthnRequest, Response, LogoutRequest… */
  messageType: string;
  relayState?: string;
  /** Redirect binding only: the query signature, as `readRedirectQuery` gives it. */
  sigAlg?: string;
  signature?: string;
  signedBytes?: string;
}

export interface FoundMessages {
  kind: InputKind;
  messages: FoundMessage[];
}

type Raw = Omit<FoundMessage, 'messageType'>;

function unreadable(message: string, received?: string): never {
  throw new HarnessError('SAML_MESSAGE_ENCODING', message, received === undefined ? {} : { received });
}

/** The document element must be a SAML 2.0 protocol message. */
function messageTypeOf(xml: string): string {
  const root = documentElement(parseXml(xml));
  if (root.namespaceURI !== NS.protocol) {
    throw new HarnessError('SAML_MESSAGE_UNEXPECTED', `the XML is not a SAML message: its document element is ${root.localName} in ${root.namespaceURI ?? 'no namespace'}`);
  }
  return root.localName;
}

function withType(raw: Raw): FoundMessage {
  return { ...raw, messageType: messageTypeOf(raw.xml) };
}

function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

/** A bare value: base64 of XML (POST) or of raw DEFLATE (Redirect), percent-encoded or not. */
function fromValue(value: string, limits: MessageLimits): { kind: InputKind; raw: Raw } {
  let text = value.trim();
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      unreadable('the value has malformed percent-encoding');
    }
  }
  // Wrapped lines are joined; a space inside a line is a '+' that form decoding turned into one.
  const compact = text.split(/[\r\n]+/).map((line) => line.trim().replace(/ /g, '+')).join('');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) unreadable('the input is not base64, a URL, an HTML form, XML or a HAR file', compact.slice(0, 40));
  if (compact.length % 4 !== 0) unreadable(`the value is not complete base64: ${compact.length} characters, not a multiple of 4 (truncated?)`);
  const bytes = Buffer.from(compact, 'base64');
  const asText = bytes.toString('utf8');
  if (looksLikeXml(asText)) {
    return { kind: 'base64', raw: { source: 'base64', binding: 'post', param: paramOf(asText), encoded: compact, xml: decodePostMessage(compact, limits) } };
  }
  let xml: string;
  try {
    xml = decodeRedirectMessage(compact, limits);
  } catch (err) {
    if (isHarnessError(err) && err.code === 'SAML_MESSAGE_TOO_LARGE') throw err;
    unreadable('the base64 value decodes to neither XML nor DEFLATE-compressed XML (truncated?)');
  }
  if (!looksLikeXml(xml)) unreadable('the value inflates to something that is not XML');
  return { kind: 'deflated', raw: { source: 'base64 (deflated)', binding: 'redirect', param: paramOf(xml), encoded: compact, xml } };
}

/** Requests travel as SAMLRequest, everything else as SAMLResponse (bindings §3.4.4, §3.5.4). */
function paramOf(xml: string): FoundMessage['param'] {
  return /^\uFEFF?\s*(<\?xml[^>]*>\s*)?<([A-Za-z0-9_.-]+:)?(AuthnRequest|LogoutRequest|ArtifactResolve|AttributeQuery|AuthnQuery|ManageNameIDRequest)[\s>/]/.test(xml)
    ? 'SAMLRequest'
    : 'SAMLResponse';
}

function fromQuery(query: string, source: string, limits: MessageLimits): Raw {
  const m = readRedirectQuery(query, limits);
  return {
    source,
    binding: 'redirect',
    param: m.param,
    encoded: new URLSearchParams(query).get(m.param) ?? '',
    xml: m.xml,
    ...(m.relayState !== undefined && { relayState: m.relayState }),
    ...(m.sigAlg !== undefined && { sigAlg: m.sigAlg }),
    ...(m.signature !== undefined && { signature: m.signature }),
    ...(m.signedBytes !== undefined && { signedBytes: m.signedBytes }),
  };
}

function fromFields(fields: Record<string, string | undefined>, source: string, limits: MessageLimits): Raw | undefined {
  const param = fields.SAMLResponse !== undefined ? 'SAMLResponse' : fields.SAMLRequest !== undefined ? 'SAMLRequest' : undefined;
  if (!param) return undefined;
  const encoded = (fields[param] ?? '').replace(/\s+/g, '');
  const relayState = fields.RelayState;
  return { source, binding: 'post', param, encoded, xml: decodePostMessage(encoded, limits), ...(relayState !== undefined && { relayState }) };
}

const SAML_QUERY = /[?&](SAMLRequest|SAMLResponse)=/;

/** A HAR file is untrusted JSON: any part of it may be missing or of another type. */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

function harPostFields(postData: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!isObject(postData)) return fields;
  if (Array.isArray(postData.params) && postData.params.length > 0) {
    for (const p of postData.params as unknown[]) {
      if (isObject(p) && typeof p.name === 'string' && typeof p.value === 'string') fields[decodeForm(p.name)] = decodeForm(p.value);
    }
  } else if (typeof postData.text === 'string') {
    for (const [k, v] of new URLSearchParams(postData.text)) fields[k] = v;
  }
  return fields;
}

/** HAR `params` hold the values as sent (still form-encoded), per the HAR 1.2 spec and browsers. */
function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Every SAML message a HAR file's requests carried, in order (responses only repeat them). */
function fromHar(text: string, limits: MessageLimits): Raw[] {
  let har: { log?: { entries?: unknown } };
  try {
    har = JSON.parse(text) as typeof har;
  } catch (err) {
    unreadable(`the input looks like JSON but is not: ${errorMessage(err)}`);
  }
  const entries = har.log?.entries;
  if (!Array.isArray(entries)) unreadable('the JSON is not a HAR file (no log.entries)');
  const out: Raw[] = [];
  entries.forEach((entry: unknown, i) => {
    const req = isObject(entry) && isObject(entry.request) ? entry.request : undefined;
    if (typeof req?.url !== 'string' || req.url === '') return;
    const method = typeof req.method === 'string' ? req.method : 'GET';
    const where = `HAR entry ${i + 1}: ${method} ${req.url.split('?')[0]}`;
    try {
      const queryAt = req.url.indexOf('?');
      if (queryAt >= 0 && SAML_QUERY.test(req.url)) out.push(fromQuery(req.url.slice(queryAt + 1).split('#')[0] ?? '', where, limits));
      const posted = method === 'POST' ? fromFields(harPostFields(req.postData), where, limits) : undefined;
      if (posted) out.push(posted);
    } catch (err) {
      if (isHarnessError(err)) throw new HarnessError(err.code, `${where}: ${err.message}`, err.details);
      throw err;
    }
  });
  if (out.length === 0) unreadable(`the HAR file has ${entries.length} entries and no SAML message in any request`);
  return out;
}

/** Reads every SAML message in `text`; throws a HarnessError naming what is wrong with it. */
export function findMessages(text: string, limits: MessageLimits = DEFAULT_LIMITS): FoundMessages {
  const trimmed = text.trim();
  if (trimmed === '') throw new HarnessError('SAML_MESSAGE_MISSING', 'the input is empty');
  if (trimmed.startsWith('{')) return { kind: 'har', messages: fromHar(trimmed, limits).map(withType) };
  if (looksLikeXml(trimmed)) {
    const form = readAutoPostForm(trimmed, 'http://form.invalid/');
    if (form) {
      const raw = fromFields(form.fields, `form posting to ${form.action === 'http://form.invalid/' ? '(no action)' : form.action}`, limits);
      if (raw) return { kind: 'form', messages: [withType(raw)] };
    }
    if (/<(html|form|body|!doctype html)/i.test(trimmed)) {
      unreadable('the HTML has no auto-post form with a SAMLRequest or SAMLResponse field');
    }
    return { kind: 'xml', messages: [withType({ source: 'xml', binding: 'post', param: paramOf(trimmed), encoded: '', xml: trimmed })] };
  }
  if (SAML_QUERY.test(`&${trimmed}`)) {
    const queryAt = trimmed.indexOf('?');
    const query = (queryAt >= 0 ? trimmed.slice(queryAt + 1) : trimmed).split('#')[0] ?? '';
    const source = queryAt >= 0 ? trimmed.slice(0, queryAt) : 'query string';
    const fields = Object.fromEntries(new URLSearchParams(query));
    // A form body pasted as a query (SAMLResponse=…&RelayState=…) is POST binding: plain base64.
    const posted = fields.SAMLResponse?.replace(/ /g, '+');
    if (posted !== undefined && looksLikeXml(Buffer.from(posted, 'base64').toString('utf8'))) {
      return { kind: 'url', messages: [withType(fromFields({ ...fields, SAMLResponse: posted }, source, limits) as Raw)] };
    }
    return { kind: 'url', messages: [withType(fromQuery(query, source, limits))] };
  }
  if (/^https?:\/\//i.test(trimmed)) unreadable('the URL has no SAMLRequest or SAMLResponse query parameter', trimmed.slice(0, 80));
  const { kind, raw } = fromValue(trimmed, limits);
  return { kind, messages: [withType(raw)] };
}
