// A flow's trace entries out of the harness and back in: as JSON (the entries as recorded, which
// the import form reads back), and as a HAR 1.2 file (one entry per message the browser carried,
// which `sso-harness decode` and HAR viewers read). Imported JSON is untrusted: checked here.
import { z } from 'zod';
import { errorMessage } from '../caught-error.js';
import { ERROR_CODES, HarnessError, type ErrorCode } from '../errors.js';
import { encodePostMessage } from '../saml/encoding.js';
import { buildRedirectUrl } from '../saml/redirect-binding.js';
import { BINDING } from '../saml/urn.js';
import type { TraceEntry } from './trace-log.js';

export const TRACE_EXPORT_FORMAT = 'sso-harness-trace';

export interface TraceExport {
  format: typeof TRACE_EXPORT_FORMAT;
  version: 1;
  flow: string;
  exportedAt: string;
  entries: TraceEntry[];
}

export function traceExport(flow: string, entries: readonly TraceEntry[], nowMs: number): TraceExport {
  return { format: TRACE_EXPORT_FORMAT, version: 1, flow, exportedAt: new Date(nowMs).toISOString(), entries: [...entries] };
}

/** A file name made of the flow ID's safe characters only (it goes into Content-Disposition). */
export function exportFileName(flow: string, ext: 'json' | 'har'): string {
  return `sso-harness-${flow.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)}.${ext}`;
}

/**
 * The same message is recorded twice when both sides are the harness (sent by one side, received
 * by the other); the browser carried it once, so a `sent` entry gives way to its `received` twin.
 * A message the trace kept only in part is left out: it would not decode.
 */
function carried(entries: readonly TraceEntry[]): TraceEntry[] {
  return entries.filter(
    (e) => e.xml !== undefined && e.xmlTruncatedFrom === undefined && !(e.direction === 'sent' && e.flow !== undefined && entries.some((o) => o.direction === 'received' && o.kind === e.kind && o.flow === e.flow && o.xml !== undefined)),
  );
}

const param = (e: TraceEntry): 'SAMLRequest' | 'SAMLResponse' => (e.kind === 'AuthnRequest' || e.kind === 'LogoutRequest' ? 'SAMLRequest' : 'SAMLResponse');

/** One HAR request; the Redirect query is rebuilt unsigned (the trace does not keep the query signature). */
function harRequest(e: TraceEntry, xml: string) {
  const name = param(e);
  const endpoint = e.endpoint ?? 'http://unknown.invalid/';
  if (e.binding === BINDING.redirect) {
    const url = buildRedirectUrl(endpoint, name, xml, e.relayState !== undefined ? { relayState: e.relayState } : {});
    const queryString = [...new URL(url).searchParams].map(([n, value]) => ({ name: n, value }));
    return { method: 'GET', url, httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString, headersSize: -1, bodySize: 0 };
  }
  const fields: [string, string][] = [[name, encodePostMessage(xml)], ...(e.relayState !== undefined ? [['RelayState', e.relayState] as [string, string]] : [])];
  const text = new URLSearchParams(fields).toString();
  // HAR `params` hold the values as sent, still form-encoded (HAR 1.2, and what browsers write).
  const params = fields.map(([n, v]) => ({ name: n, value: encodeURIComponent(v) }));
  return {
    method: 'POST',
    url: endpoint,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
    queryString: [],
    postData: { mimeType: 'application/x-www-form-urlencoded', params, text },
    headersSize: -1,
    bodySize: Buffer.byteLength(text),
  };
}

export function traceHar(entries: readonly TraceEntry[]) {
  const truncated = entries.filter((e) => e.xmlTruncatedFrom !== undefined).length;
  return {
    log: {
      version: '1.2',
      creator: { name: 'sso-harness trace viewer', version: String(1) },
      ...(truncated > 0 && { comment: `${truncated} message(s) left out: the trace kept them truncated` }),
      pages: [],
      entries: carried(entries).map((e) => ({
        startedDateTime: e.at,
        time: 0,
        request: harRequest(e, e.xml as string),
        response: {
          status: 0,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
        comment: e.summary,
        _ssoHarness: { id: e.id, side: e.side, kind: e.kind, direction: e.direction, verdict: e.verdict, ...(e.error && { error: e.error }) },
      })),
    },
  };
}

const LONG = 2_000_000;
const str = (max = 2_000) => z.string().max(max);
const entrySchema = z.object({
  id: str(200),
  flow: str(500).optional(),
  at: str(100),
  side: z.enum(['idp', 'sp']),
  kind: z.enum(['AuthnRequest', 'Response', 'LogoutRequest', 'LogoutResponse', 'Metadata', 'Login']),
  direction: z.enum(['sent', 'received']),
  binding: str().optional(),
  endpoint: str().optional(),
  xml: str(LONG).optional(),
  xmlTruncatedFrom: z.number().int().nonnegative().optional(),
  relayState: str().optional(),
  checks: z
    .array(z.object({ check: str(200), title: str(), verdict: z.enum(['pass', 'fail', 'skip']), detail: str(20_000), code: str(100).optional() }))
    .max(100),
  verdict: z.enum(['ok', 'rejected', 'info']),
  error: z.object({ code: str(100), message: str(20_000), detail: str(20_000).optional(), expected: str(20_000).optional(), received: str(20_000).optional() }).optional(),
  summary: str(),
});
const exportSchema = z.object({
  format: z.literal(TRACE_EXPORT_FORMAT),
  version: z.literal(1),
  flow: str(500),
  exportedAt: str(100).optional(),
  entries: z.array(entrySchema).min(1).max(200),
});

const EXPECTED_EXPORT = 'the export.json of a flow, downloaded from /debug';

/** Reads an export.json back; throws INPUT_INVALID with a message that names what is wrong. */
export function readTraceExport(text: string): { flow: string; entries: TraceEntry[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HarnessError('INPUT_INVALID', `the text is not JSON: ${errorMessage(err)}`, { expected: EXPECTED_EXPORT });
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new HarnessError('INPUT_INVALID', `the JSON is not a trace exported from /debug (${problems.join('; ')})`, { expected: EXPECTED_EXPORT });
  }
  const entries = parsed.data.entries.map(
    (e): TraceEntry => ({
      ...e,
      flow: e.flow,
      binding: e.binding,
      endpoint: e.endpoint,
      xml: e.xml,
      relayState: e.relayState,
      error: e.error,
      // A code this harness does not know is kept in the detail, not passed off as one of ours.
      checks: e.checks.map(({ code, ...c }) => (code === undefined ? c : Object.hasOwn(ERROR_CODES, code) ? { ...c, code: code as ErrorCode } : { ...c, detail: `${c.detail} (${code})` })),
    }),
  );
  return { flow: parsed.data.flow, entries };
}
