// A bounded, in-memory record of every SAML exchange: what went over the wire, decoded, and
// each check's verdict. Old entries fall off the end; memory does not grow with use.
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

export type TraceInput = Omit<TraceEntry, 'id' | 'at' | 'checks' | 'verdict' | 'error' | 'flow' | 'binding' | 'endpoint' | 'xml' | 'relayState'> &
  Partial<Pick<TraceEntry, 'checks' | 'verdict' | 'error' | 'flow' | 'binding' | 'endpoint' | 'xml' | 'relayState'>>;

export class TraceLog {
  private readonly entries: TraceEntry[] = [];

  constructor(
    private readonly limit: number,
    private readonly nowMs: () => number,
  ) {}

  record(input: TraceInput): TraceEntry {
    const entry: TraceEntry = {
      id: randomUUID(),
      at: new Date(this.nowMs()).toISOString(),
      flow: input.flow,
      side: input.side,
      kind: input.kind,
      direction: input.direction,
      binding: input.binding,
      endpoint: input.endpoint,
      xml: input.xml,
      relayState: input.relayState,
      checks: input.checks ?? [],
      verdict: input.verdict ?? 'info',
      error: input.error,
      summary: input.summary,
    };
    if (this.limit <= 0) return entry;
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** The trace's clock (e.g. for the time an export was made). */
  now(): number {
    return this.nowMs();
  }

  /** Newest last. */
  list(filter: { flow?: string; side?: 'idp' | 'sp' } = {}): TraceEntry[] {
    return this.entries.filter((e) => (!filter.flow || e.flow === filter.flow) && (!filter.side || e.side === filter.side));
  }

  get(id: string): TraceEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
