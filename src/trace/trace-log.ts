// A bounded, in-memory record of every SAML exchange: what went over the wire, decoded, and
// each check's verdict. Bounded in entries and in bytes: each stored message is cut at a cap
// (and marked so), every other text at a smaller one, and the oldest entries fall off when either
// total is reached; what fell off is counted, so the viewer can say so. Memory does not grow with
// use, nor with the size of what strangers send.
import { randomUUID } from 'node:crypto';
import type { CheckVerdict } from '../saml/validate/types.js';

export type TraceKind = 'AuthnRequest' | 'Response' | 'LogoutRequest' | 'LogoutResponse' | 'Metadata' | 'Login';

export interface TraceEntry {
  id: string;
  /** Groups the hops of one login (the AuthnRequest ID, when there is one). */
  flow: string | undefined;
  at: string;
  side: 'idp' | 'sp';
  kind: TraceKind;
  /** e.g. 'sent', 'received'. */
  direction: 'sent' | 'received';
  binding: string | undefined;
  /** Where it came from / went to. */
  endpoint: string | undefined;
  xml: string | undefined;
  /** Set when `xml` holds only the first bytes of the message: its whole size, in UTF-8 bytes. */
  xmlTruncatedFrom?: number;
  relayState: string | undefined;
  checks: CheckVerdict[];
  verdict: 'ok' | 'rejected' | 'info';
  /**
   * `detail`: what only the trace may say (e.g. why a decryption failed), never sent to the client;
   * `expected`/`received` as the HarnessError said them, when the recorder passes them on.
   */
  error: { code: string; message: string; detail?: string; expected?: string; received?: string } | undefined;
  summary: string;
}

export type TraceInput = Omit<TraceEntry, 'id' | 'at' | 'checks' | 'verdict' | 'error' | 'flow' | 'binding' | 'endpoint' | 'xml' | 'xmlTruncatedFrom' | 'relayState'> &
  Partial<Pick<TraceEntry, 'checks' | 'verdict' | 'error' | 'flow' | 'binding' | 'endpoint' | 'xml' | 'relayState'>>;

export interface TraceLimits {
  /** Most entries kept. */
  entries: number;
  /** Most UTF-8 bytes of one message kept; the rest is cut off and the entry marked truncated. */
  maxMessageBytes: number;
  /** Most bytes all entries hold together (their texts, counted in UTF-8). */
  maxBytes: number;
}

export const DEFAULT_TRACE_LIMITS: TraceLimits = Object.freeze({ entries: 500, maxMessageBytes: 64 * 1024, maxBytes: 16 * 1024 * 1024 });

/** Every text of an entry but the message: summaries, check details, error texts, RelayState. */
const MAX_FIELD_BYTES = 4 * 1024;
/** What an entry costs beyond its texts (object, ID, time, enums), a fixed estimate. */
const ENTRY_OVERHEAD_BYTES = 512;
export const TRUNCATED_MARK = ' … [truncated]';

/**
 * `s` as a new, flat string of at most `maxBytes` UTF-8 bytes (cut at a character boundary).
 * Always a copy: a string sliced out of a large parsed message would otherwise keep the whole
 * message alive in memory. The copy is made in the JavaScript heap (a one-character string joined
 * to the prefix, then cut off again, is a new flat string of the prefix's length), not through a
 * Buffer: a trace taking hundreds of large messages would otherwise leave the C heap fragmented.
 */
function copyCapped(s: string, maxBytes: number): { text: string; bytes: number; cut: boolean } {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes <= maxBytes) return { text: flatCopy(s), bytes, cut: false };
  // No character is shorter than one byte: the first maxBytes characters hold the kept prefix;
  // the longest of their prefixes within maxBytes is found by halving.
  let low = 0;
  let high = Math.min(s.length, maxBytes);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(s.slice(0, mid), 'utf8') <= maxBytes) low = mid;
    else high = mid - 1;
  }
  // Never half of a surrogate pair.
  const end = low > 0 && /[\uD800-\uDBFF]/.test(s.charAt(low - 1)) ? low - 1 : low;
  return { text: flatCopy(s.slice(0, end)), bytes, cut: true };
}

function flatCopy(s: string): string {
  return ` ${s}`.slice(1);
}

function field(s: string): string;
function field(s: string | undefined): string | undefined;
function field(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const { text, cut } = copyCapped(s, MAX_FIELD_BYTES);
  return cut ? `${text}${TRUNCATED_MARK}` : text;
}

function sizeOf(e: TraceEntry): number {
  const texts = [e.flow, e.binding, e.endpoint, e.xml, e.relayState, e.summary, e.error?.code, e.error?.message, e.error?.detail, e.error?.expected, e.error?.received];
  for (const c of e.checks) texts.push(c.check, c.title, c.detail, c.code);
  return texts.reduce((sum, t) => sum + (t === undefined ? 0 : Buffer.byteLength(t, 'utf8')), ENTRY_OVERHEAD_BYTES);
}

/** What fell off the end since the start (or the last clear), and why. */
export interface TraceDropped {
  entries: number;
  bytes: number;
}

export class TraceLog {
  private readonly entries: { entry: TraceEntry; bytes: number }[] = [];
  private readonly limits: TraceLimits;
  private totalBytes = 0;
  private droppedEntries = 0;
  private droppedBytes = 0;

  constructor(
    limits: number | Partial<TraceLimits>,
    private readonly nowMs: () => number,
  ) {
    this.limits = { ...DEFAULT_TRACE_LIMITS, ...(typeof limits === 'number' ? { entries: limits } : limits) };
  }

  record(input: TraceInput): TraceEntry {
    const xml = input.xml === undefined ? undefined : copyCapped(input.xml, this.limits.maxMessageBytes);
    const error = input.error && {
      code: field(input.error.code),
      message: field(input.error.message),
      ...(input.error.detail !== undefined && { detail: field(input.error.detail) }),
      ...(input.error.expected !== undefined && { expected: field(input.error.expected) }),
      ...(input.error.received !== undefined && { received: field(input.error.received) }),
    };
    const entry: TraceEntry = {
      id: randomUUID(),
      at: new Date(this.nowMs()).toISOString(),
      flow: field(input.flow),
      side: input.side,
      kind: input.kind,
      direction: input.direction,
      binding: field(input.binding),
      endpoint: field(input.endpoint),
      xml: xml?.text,
      ...(xml?.cut && { xmlTruncatedFrom: xml.bytes }),
      relayState: field(input.relayState),
      checks: (input.checks ?? []).map((c) => ({ ...c, check: field(c.check), title: field(c.title), detail: field(c.detail) })),
      verdict: input.verdict ?? 'info',
      error,
      summary: field(input.summary),
    };
    if (this.limits.entries <= 0) return entry;
    const bytes = sizeOf(entry);
    this.entries.push({ entry, bytes });
    this.totalBytes += bytes;
    while (this.entries.length > this.limits.entries || (this.totalBytes > this.limits.maxBytes && this.entries.length > 1)) {
      const dropped = this.entries.shift();
      if (!dropped) break;
      this.totalBytes -= dropped.bytes;
      this.droppedEntries += 1;
      this.droppedBytes += dropped.bytes;
    }
    return entry;
  }

  /** The trace's clock (e.g. for the time an export was made). */
  now(): number {
    return this.nowMs();
  }

  /** Newest last. */
  list(filter: { flow?: string; side?: 'idp' | 'sp' } = {}): TraceEntry[] {
    return this.entries.map((e) => e.entry).filter((e) => (!filter.flow || e.flow === filter.flow) && (!filter.side || e.side === filter.side));
  }

  get(id: string): TraceEntry | undefined {
    return this.entries.find((e) => e.entry.id === id)?.entry;
  }

  /** How full the trace is, against its limits, and what fell off the end to keep it so. */
  usage(): { entries: number; bytes: number; limits: TraceLimits; dropped: TraceDropped } {
    return {
      entries: this.entries.length,
      bytes: this.totalBytes,
      limits: { ...this.limits },
      dropped: { entries: this.droppedEntries, bytes: this.droppedBytes },
    };
  }

  clear(): void {
    this.entries.length = 0;
    this.totalBytes = 0;
    this.droppedEntries = 0;
    this.droppedBytes = 0;
  }
}
