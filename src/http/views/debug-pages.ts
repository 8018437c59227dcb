// The trace viewer's pages: the list of logins (one row per flow), a flow with its sequence
// diagram and every message, one entry, and the import form. Server-rendered, no script.
import type { TraceEntry, TraceLog } from '../../trace/trace-log.js';
import { flowGroup, type FlowGroup } from '../../trace/flows.js';
import { entrySection, explanation } from './debug-entry.js';
import { html, page, type SafeHtml } from './html.js';
import { sequenceDiagram } from './sequence-diagram.js';
import type { ConsoleScope } from './setting-link.js';

function outcomeCell(g: FlowGroup): SafeHtml {
  if (g.outcome === 'rejected') return html`<td class="fail">rejected${g.code ? html` <code>${g.code}</code>` : ''}</td>`;
  return html`<td class="${g.outcome === 'ok' ? 'ok' : 'skip'}">${g.outcome}</td>`;
}

function outcomeWord(g: FlowGroup): SafeHtml {
  if (g.outcome === 'rejected') return html`<strong class="fail">rejected${g.code ? html` <code>${g.code}</code>` : ''}</strong>`;
  return html`<strong class="${g.outcome === 'ok' ? 'ok' : 'skip'}">${g.outcome}</strong>`;
}

const hopName = (e: TraceEntry): string => `${e.side === 'idp' ? 'IdP' : 'SP'} ${e.direction} ${e.kind}`;

/**
 * Why the flow failed or stopped, first on the page: a reader comes for this, and the messages
 * below it run to thousands of pixels. The refused message's section points back here.
 */
function whySection(entries: readonly TraceEntry[], g: FlowGroup, scope: ConsoleScope | undefined): SafeHtml | '' {
  const refused = entries.find((e) => e.verdict === 'rejected' && e.error !== undefined);
  if (refused?.error) {
    return html`<section id="why" aria-labelledby="why-heading"><h2 id="why-heading">Why it failed</h2>
${explanation(refused.error, scope)}
<p>Refused at: <a href="#entry-${refused.id}">${hopName(refused)}</a> (${refused.summary})</p></section>`;
  }
  if (g.outcome !== 'incomplete') return '';
  const last = entries[entries.length - 1];
  const login = entries.some((e) => e.kind === 'AuthnRequest' || e.kind === 'Response');
  return html`<section id="why" aria-labelledby="why-heading"><h2 id="why-heading">Why it is incomplete</h2>
<p>${login ? 'No Response reached the SP' : 'No LogoutResponse came back'}: the last message recorded is ${last ? html`<a href="#entry-${last.id}">${hopName(last)}</a>` : 'none'}.
${login ? 'The user may have left the IdP sign-in page without signing in, or the browser did not post the response to the SP.' : ''}</p></section>`;
}

function describe(g: FlowGroup): string {
  const first = g.entries[0];
  if (g.flow !== undefined) return `login ${g.flow}`;
  return first ? `${first.side === 'idp' ? 'IdP' : 'SP'} ${first.direction} ${first.kind}` : '';
}

export interface ListPageInput {
  groups: FlowGroup[];
  side: 'idp' | 'sp' | undefined;
  csrf: SafeHtml;
  /** How full the trace is and what fell off its end. */
  usage?: ReturnType<TraceLog['usage']>;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Says that older entries were dropped (and how many), so a missing login is not a mystery. */
function droppedNote(usage: ListPageInput['usage']): SafeHtml | '' {
  if (!usage || usage.dropped.entries === 0) return '';
  const { dropped, limits } = usage;
  return html`<p class="note" role="status">${plural(dropped.entries, 'older entry', 'older entries')} (${dropped.bytes} bytes) dropped to keep the trace within ${limits.entries} entries and ${limits.maxBytes} bytes; each message is kept up to ${limits.maxMessageBytes} bytes, longer ones truncated.</p>`;
}

export function listPage({ groups, side, csrf, usage }: ListPageInput): string {
  const option = (value: string, label: string) => html`<option value="${value}"${(side ?? '') === value ? html` selected` : ''}>${label}</option>`;
  return page(
    'Trace viewer',
    html`<h1>Trace viewer</h1>
<p>Every SAML exchange both sides recorded, one row per login (newest first). <a href="/debug/import">Import a trace</a> · <a href="/debug/scim">SCIM provisioning jobs</a></p>
${droppedNote(usage)}
<form method="get" action="/debug" class="inline"><label for="side">Side</label><select id="side" name="side">${option('', 'both')}${option('sp', 'SP')}${option('idp', 'IdP')}</select><button type="submit">Filter</button></form>
${groups.length === 0
  ? html`<p>No exchanges recorded${side ? ' on this side' : ''} yet. Start a login at <a href="/sp/login">/sp/login</a>.</p>`
  : html`<table class="flows"><tr><th>time</th><th>exchange</th><th>user</th><th>outcome</th><th>messages</th></tr>${groups.map((g) => {
      const href = g.flow !== undefined ? `/debug/flows/${encodeURIComponent(g.flow)}` : `/debug/entries/${encodeURIComponent(g.entries[0]?.id ?? '')}`;
      return html`<tr><td>${g.lastAt}</td><td><a href="${href}">${describe(g)}</a></td><td>${g.user ?? ''}</td>${outcomeCell(g)}<td>${g.entries.map((e) => `${e.side === 'idp' ? 'IdP' : 'SP'} ${e.kind}`).join(' → ')}</td></tr>`;
    })}</table>`}
<form method="post" action="/debug/clear">${csrf}<button type="submit">Clear traces</button></form>
<form method="post" action="/admin/logout">${csrf}<button type="submit">Sign out</button></form>`,
    { side: 'debug' },
  );
}

export interface FlowPageInput {
  flow: string;
  /** Oldest first. */
  entries: readonly TraceEntry[];
  /** An imported trace: read-only, no export links (the file is already at hand). */
  imported?: boolean;
  /** The application and account the flow went through: the explanation links to their console pages. */
  scope?: ConsoleScope;
}

export function flowPage({ flow, entries, imported, scope }: FlowPageInput): string {
  const g = flowGroup(flow, [...entries]);
  const noun = imported ? 'Imported flow' : entries.some((e) => e.kind === 'AuthnRequest' || e.kind === 'Response') ? 'Login flow' : 'Flow';
  const exports = imported
    ? html`<p>Imported trace, shown read-only; it is not stored. <a href="/debug/import">Import another</a> · <a href="/debug">All traces</a></p>`
    : html`<p>Export: <a href="/debug/flows/${encodeURIComponent(flow)}/export.json" download>JSON</a> · <a href="/debug/flows/${encodeURIComponent(flow)}/export.har" download>HAR</a> · <a href="/debug">All traces</a></p>`;
  return page(
    noun,
    html`<h1>${noun} <code>${flow}</code></h1>
<p>Outcome: ${outcomeWord(g)}${g.user ? html` · user ${g.user}` : ''} · ${entries.length} message${entries.length === 1 ? '' : 's'}</p>
${whySection(entries, g, scope)}
${exports}
${sequenceDiagram(entries, `Sequence of login ${flow}`)}
${entries.map((e) => entrySection(e, { link: !imported, explainedAbove: e === entries.find((x) => x.verdict === 'rejected' && x.error !== undefined) }))}`,
    { side: 'debug' },
  );
}

export function entryPage(entry: TraceEntry, scope?: ConsoleScope): string {
  return page(
    'Trace entry',
    html`<h1>Trace entry</h1>
<p>${entry.flow !== undefined ? html`Part of <a href="/debug/flows/${encodeURIComponent(entry.flow)}">login ${entry.flow}</a> · ` : ''}<a href="/debug">All traces</a></p>
${entry.error ? html`<section id="why" aria-labelledby="why-heading"><h2 id="why-heading">Why it failed</h2>${explanation(entry.error, scope)}</section>` : ''}
${sequenceDiagram([entry], 'Sequence of this message')}
${entrySection(entry, { explainedAbove: entry.error !== undefined })}`,
    { side: 'debug' },
  );
}

export function importPage(csrf: SafeHtml, problem?: string, text = ''): string {
  return page(
    'Import a trace',
    html`<h1>Import a trace</h1>${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<p>Paste a trace exported from a flow page (<code>export.json</code>). It is shown read-only and not stored.</p>
<form method="post" action="/debug/import">${csrf}
<label for="trace-json">Trace JSON</label><textarea id="trace-json" name="trace" rows="14" required>${text}</textarea>
<button type="submit">Show</button></form>
<p><a href="/debug">All traces</a></p>`,
    { side: 'debug' },
  );
}
