// The sequence diagram of one login, as inline SVG (presentation attributes only, so it passes a
// `style-src 'self'` CSP): three lanes, Browser, SP and IdP, and one arrow per hop, drawn from the
// trace entries in the order they were recorded. A rejected step is drawn red.
import type { TraceEntry } from '../../trace/trace-log.js';
import { bindingName } from '../../trace/entry-reading.js';
import { html, type SafeHtml } from './html.js';

export type Lane = 'Browser' | 'SP' | 'IdP';

export interface Hop {
  from: Lane;
  to: Lane;
  label: string;
  rejected: boolean;
  /** The entry the hop was drawn from. */
  entryId: string;
}

const LANES: readonly Lane[] = ['Browser', 'SP', 'IdP'];
const LANE_X: Record<Lane, number> = { Browser: 110, SP: 340, IdP: 570 };
const WIDTH = 700;
const TOP = 50;
const ROW = 40;
const RED = '#d93025';
const INK = '#1d2330';

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** The hops one entry stands for (an SP-initiated login is Browser→SP, SP→Browser, Browser→IdP, …). */
export function hopsOf(e: TraceEntry): Hop[] {
  const side: Lane = e.side === 'sp' ? 'SP' : 'IdP';
  const binding = bindingName(e.binding);
  const via = binding ? ` (${binding})` : '';
  const bad = e.verdict === 'rejected';
  const hop = (from: Lane, to: Lane, label: string, rejected = false): Hop => ({ from, to, label, rejected, entryId: e.id });
  const code = e.error?.code ?? 'rejected';
  if (e.kind === 'AuthnRequest' && e.side === 'sp' && e.direction === 'sent') {
    // HTTP-Redirect answers a 302; HTTP-POST a page that posts the request on (an IdP listing only POST).
    const answer = binding === 'HTTP-POST' ? 'auto-post AuthnRequest' : '302 AuthnRequest';
    return [hop('Browser', 'SP', 'GET /sp/login'), hop('SP', 'Browser', `${answer}${via}`, bad)];
  }
  if (e.kind === 'AuthnRequest' && e.side === 'idp' && e.direction === 'received') {
    return [hop('Browser', 'IdP', `AuthnRequest${via} ${pathOf(e.endpoint)}`.trim(), bad), ...(bad ? [hop('IdP', 'IdP', `refused: ${code}`, true)] : [])];
  }
  if (e.kind === 'Response' && e.side === 'idp' && e.direction === 'sent') {
    const login = hop('Browser', 'IdP', 'IdP login (user signs in)');
    if (bad && e.xml === undefined) return [login, hop('IdP', 'IdP', `no Response: ${code}`, true)];
    return [login, hop('IdP', 'Browser', `auto-post Response${via}`, bad)];
  }
  if (e.kind === 'Response' && e.side === 'sp' && e.direction === 'received') {
    return [hop('Browser', 'SP', `Response${via} ${pathOf(e.endpoint)}`.trim(), bad), hop('SP', 'SP', bad ? `SP verdict: rejected ${code}` : 'SP verdict: ok', bad)];
  }
  if (e.direction === 'sent') return [hop(side, 'Browser', `${e.kind}${via}`, bad)];
  return [hop('Browser', side, `${e.kind}${via} ${pathOf(e.endpoint)}`.trim(), bad), ...(bad ? [hop(side, side, `rejected: ${code}`, true)] : [])];
}

/** Entries oldest first. */
export function sequenceDiagram(entries: readonly TraceEntry[], title: string): SafeHtml {
  const hops = entries.flatMap(hopsOf);
  const height = TOP + hops.length * ROW + 30;
  const lanes = LANES.map(
    (lane) => html`<g class="lane"><text x="${LANE_X[lane]}" y="24" text-anchor="middle" font-weight="bold" fill="${INK}">${lane}</text>
<line x1="${LANE_X[lane]}" y1="34" x2="${LANE_X[lane]}" y2="${height - 10}" stroke="#9aa3af" stroke-dasharray="4 4"/></g>`,
  );
  const arrows = hops.map((h, i) => {
    const y = TOP + i * ROW + 22;
    const colour = h.rejected ? RED : INK;
    const marker = h.rejected ? 'url(#seq-head-red)' : 'url(#seq-head)';
    const x1 = LANE_X[h.from];
    const x2 = LANE_X[h.to];
    const n = i + 1;
    if (h.from === h.to) {
      // A step inside one side: a loop to the right of its lane (to the left of the last lane).
      const dir = h.from === 'IdP' ? -1 : 1;
      return html`<g class="hop${h.rejected ? ' rejected' : ''}" data-from="${h.from}" data-to="${h.to}"><a href="#entry-${h.entryId}">
<path d="M${x1} ${y - 12} h${30 * dir} v14 h${-28 * dir}" fill="none" stroke="${colour}" stroke-width="1.5" marker-end="${marker}"/>
<text x="${x1 + 36 * dir}" y="${y}"${dir < 0 ? html` text-anchor="end"` : ''} fill="${colour}" font-size="13">${n}. ${h.label}</text></a></g>`;
    }
    const mid = (x1 + x2) / 2;
    return html`<g class="hop${h.rejected ? ' rejected' : ''}" data-from="${h.from}" data-to="${h.to}"><a href="#entry-${h.entryId}">
<line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -4 : 4)}" y2="${y}" stroke="${colour}" stroke-width="1.5" marker-end="${marker}"/>
<text x="${mid}" y="${y - 6}" text-anchor="middle" fill="${colour}" font-size="13">${n}. ${h.label}</text></a></g>`;
  });
  const description = hops.map((h, i) => `${i + 1}. ${h.from} to ${h.to}: ${h.label}${h.rejected ? ' (rejected)' : ''}`).join('; ');
  return html`<figure class="sequence"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="seq-title seq-desc">
<title id="seq-title">${title}</title><desc id="seq-desc">${description || 'no hops recorded'}</desc>
<defs><marker id="seq-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${INK}"/></marker>
<marker id="seq-head-red" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${RED}"/></marker></defs>
${lanes}${arrows}</svg><figcaption>${hops.length} hop${hops.length === 1 ? '' : 's'}, in the order the harness recorded them; each arrow links to its message below.</figcaption></figure>`;
}
