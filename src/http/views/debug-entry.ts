// One trace entry as the trace viewer shows it: summary, endpoint and binding, RelayState, the
// signature details read from the XML, the XML pretty-printed, every check with its verdict, and
// for a rejected message the explanation with the setting to change.
import { parseForDisplay, printDocument } from '../../decode/pretty-xml.js';
import { ERROR_CODES, type ErrorCode } from '../../errors.js';
import { bindingName, refusedAsXml, signatureDetails } from '../../trace/entry-reading.js';
import type { TraceEntry } from '../../trace/trace-log.js';
import { html, type SafeHtml } from './html.js';
import { checksTable } from './pages.js';
import { settingLink, type ConsoleScope } from './setting-link.js';

/** How much of a truncated message the trace kept, in words. */
function truncationNote(kept: string, wholeBytes: number): string {
  return `the trace keeps only the first ${Buffer.byteLength(kept, 'utf8')} of its ${wholeBytes} bytes (the whole message was checked when it arrived)`;
}

/**
 * The message parsed once for the entry's page (its signature details and its indented text), or
 * undefined when it is not to be parsed (truncated, refused for its XML) or cannot be.
 */
function displayDocument(e: TraceEntry): Document | undefined {
  if (e.xml === undefined || e.xmlTruncatedFrom !== undefined || refusedAsXml(e)) return undefined;
  return parseForDisplay(e.xml);
}

/** The message, indented when it parses; as received (escaped) when it is truncated, empty or not XML. */
function messageSection(e: TraceEntry, doc: Document | undefined): SafeHtml {
  if (e.xml === undefined) return html`<p>No XML was recorded for this step.</p>`;
  if (e.xmlTruncatedFrom !== undefined) {
    return html`<h3>Message XML (truncated)</h3><p class="truncated">Truncated: ${truncationNote(e.xml, e.xmlTruncatedFrom)}. Shown as received, not parsed.</p><pre class="xml">${e.xml}</pre>`;
  }
  if (refusedAsXml(e)) {
    return html`<h3>Message XML</h3><p>The message was refused for its XML (${e.error?.code ?? ''}), so it could not be parsed for display; shown as received.</p><pre class="xml">${e.xml}</pre>`;
  }
  if (doc !== undefined) return html`<h3>Message XML</h3><pre class="xml">${printDocument(doc)}</pre>`;
  return html`<h3>Message XML</h3><p>The message could not be parsed as XML; shown as received${e.xml === '' ? ' (it is empty)' : ''}.</p><pre class="xml">${e.xml}</pre>`;
}

function signatureSection(e: TraceEntry, doc: Document | undefined): SafeHtml {
  if (e.xmlTruncatedFrom !== undefined) return html`<h3>Signature</h3><p>Not read: the message is truncated in the trace.</p>`;
  if (refusedAsXml(e)) return html`<h3>Signature</h3><p>Not read: the message was refused for its XML.</p>`;
  if (doc?.documentElement == null) return html`<h3>Signature</h3><p>The XML could not be read for signature details: it is not one well-formed XML document.</p>`;
  const details = signatureDetails(doc.documentElement);
  if (details.length === 0) return html`<h3>Signature</h3><p>No XML signature in the message (a Redirect-binding message is signed in its query string, which the trace does not keep).</p>`;
  return html`<h3>Signature</h3><table class="kv">${details.map((d) => {
    const c = d.certificate;
    return html`<tr><th>signed element</th><td><code>${d.signedElement}</code></td></tr>
<tr><th>signature algorithm</th><td><code>${d.signatureAlgorithm ?? '(none)'}</code></td></tr>
<tr><th>digest algorithm</th><td><code>${d.digestAlgorithm ?? '(none)'}</code></td></tr>
<tr><th>reference URI</th><td><code>${d.referenceUri ?? '(none)'}</code></td></tr>
${c === undefined
  ? html`<tr><th>certificate</th><td>no KeyInfo certificate (the SP verifies with the certificate pinned from the metadata anyway)</td></tr>`
  : 'unreadable' in c
    ? html`<tr><th>certificate</th><td class="fail">unreadable: ${c.unreadable}</td></tr>`
    : html`<tr><th>certificate subject</th><td>${c.subject}</td></tr><tr><th>certificate issuer</th><td>${c.issuer}</td></tr>
<tr><th>SHA-256 fingerprint</th><td><code>${c.sha256}</code></td></tr><tr><th>valid until</th><td>${c.validTo}</td></tr>`}`;
  })}</table>`;
}

function sideName(side: string | undefined): string {
  return side === 'idp' ? 'IdP' : side === 'sp' ? 'SP' : 'harness';
}

/**
 * The failed-login explanation: what the code means, what arrived, and which setting to change,
 * linked to its console page when `scope` says which application or account the login went through.
 */
export function explanation(error: NonNullable<TraceEntry['error']>, scope?: ConsoleScope): SafeHtml {
  const spec = Object.hasOwn(ERROR_CODES, error.code) ? ERROR_CODES[error.code as ErrorCode] : undefined;
  const side = spec && 'side' in spec ? spec.side : undefined;
  const setting = spec && 'setting' in spec ? spec.setting : undefined;
  return html`<div class="error explanation" role="note"><p><strong><code>${error.code}</code></strong>${spec ? html`: ${spec.title}` : ''}</p>
<p>${error.message}</p>
${error.expected !== undefined ? html`<p>Expected: ${error.expected}</p>` : ''}
${error.received !== undefined ? html`<p>Received: ${error.received}</p>` : ''}
${error.detail !== undefined ? html`<p>Detail (trace only): ${error.detail}</p>` : ''}
${setting !== undefined
  ? html`<p class="setting">Setting to change: <strong>${setting}</strong> (${sideName(side)})${settingLink(error.code, scope)}</p>`
  : html`<p class="setting">No single setting fixes this code${side ? html` (it comes from the ${sideName(side)} side)` : ''}; see the failed check below.</p>`}</div>`;
}

/**
 * One entry, under an h2 (the page has the h1). `explainedAbove`: the page shows this entry's
 * explanation at its top, so the section points there instead of saying it twice.
 */
export function entrySection(e: TraceEntry, opts: { link?: boolean; explainedAbove?: boolean } = {}): SafeHtml {
  const binding = bindingName(e.binding);
  const heading = `${e.side === 'idp' ? 'IdP' : 'SP'} ${e.direction} ${e.kind}`;
  const doc = displayDocument(e);
  return html`<section class="trace-entry" id="entry-${e.id}">
<h2>${opts.link ? html`<a href="/debug/entries/${encodeURIComponent(e.id)}">${heading}</a>` : heading} <span class="${e.verdict === 'rejected' ? 'fail' : 'ok'}">${e.verdict}</span></h2>
<p>${e.summary}</p>
<table class="kv"><tr><th>time</th><td>${e.at}</td></tr>
<tr><th>endpoint</th><td>${e.endpoint ? html`<code>${e.endpoint}</code>` : '(none recorded)'}</td></tr>
<tr><th>binding</th><td>${binding ? html`<code>${binding}</code>` : '(none recorded)'}</td></tr>
<tr><th>RelayState</th><td>${e.relayState !== undefined ? html`<code>${e.relayState}</code>` : '(none)'}</td></tr>
<tr><th>flow</th><td>${e.flow ? html`<code>${e.flow}</code>` : '(none)'}</td></tr></table>
${e.error ? (opts.explainedAbove ? html`<p class="fail">Refused with <code>${e.error.code}</code>: <a href="#why">the explanation is at the top of the page</a>.</p>` : explanation(e.error)) : ''}
${e.xml !== undefined ? signatureSection(e, doc) : ''}
${checksTable(e.checks)}
${messageSection(e, doc)}
</section>`;
}
