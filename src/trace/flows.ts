// The trace's entries grouped into logins (by flow ID), newest first, each with its outcome and the
// user it concerns: the rows of the trace viewer's list.
import { userOf } from './entry-reading.js';
import type { TraceEntry } from './trace-log.js';

/** One row of the list: the entries of one login, or one entry that belongs to no login. */
export interface FlowGroup {
  /** The flow ID, when the entries have one. */
  flow: string | undefined;
  /** Oldest first. */
  entries: TraceEntry[];
  lastAt: string;
  /** `incomplete`: a login or logout whose last message never came (e.g. abandoned at the IdP sign-in page). */
  outcome: 'ok' | 'rejected' | 'incomplete' | 'info';
  code: string | undefined;
  user: string | undefined;
}

/** No assertion, no NameID: the IdP's summary still names the user ("no assertion for carol@…: …"). */
const SUMMARY_USER = / for ([^\s:@]+@[^\s:]+)/;

/**
 * Whether a flow's last message is in the trace. A login ends with the Response the SP received;
 * when the trace holds no SP message of it (a real SP as the peer, or the list filtered to the
 * IdP), with the Response the IdP sent. A logout ends with a LogoutResponse. Without this, a login
 * abandoned at the IdP sign-in page shows as "ok": its AuthnRequest passed the IdP's checks.
 */
function finished(entries: readonly TraceEntry[]): boolean {
  const isLogin = entries.some((e) => e.kind === 'AuthnRequest' || e.kind === 'Response');
  if (!isLogin) return !entries.some((e) => e.kind === 'LogoutRequest') || entries.some((e) => e.kind === 'LogoutResponse');
  const spSeen = entries.some((e) => e.side === 'sp');
  return entries.some((e) => e.kind === 'Response' && (spSeen ? e.side === 'sp' && e.direction === 'received' : e.side === 'idp' && e.direction === 'sent'));
}

function outcomeOf(flow: string | undefined, entries: readonly TraceEntry[], rejected: TraceEntry | undefined): FlowGroup['outcome'] {
  if (rejected) return 'rejected';
  if (flow !== undefined && !finished(entries)) return 'incomplete';
  return entries.some((e) => e.verdict === 'ok') ? 'ok' : 'info';
}

const named = (entries: readonly TraceEntry[]): string | undefined => entries.map((e) => userOf(e)).find((u) => u !== undefined);

/** The entries of one login (or one entry of none) as one row. */
export function flowGroup(flow: string | undefined, entries: TraceEntry[]): FlowGroup {
  const rejected = entries.find((e) => e.verdict === 'rejected');
  return {
    flow,
    entries,
    lastAt: entries[entries.length - 1]?.at ?? '',
    outcome: outcomeOf(flow, entries, rejected),
    code: rejected?.error?.code,
    // Who signed in (the assertion, else the IdP's summary) before whom the SP asked for (the
    // AuthnRequest's Subject): they differ when the user signs in at the IdP as someone else.
    user:
      named(entries.filter((e) => e.kind !== 'AuthnRequest')) ??
      entries.map((e) => SUMMARY_USER.exec(e.summary)?.[1]).find((u) => u !== undefined) ??
      named(entries),
  };
}

/** Entries (oldest first) grouped by flow, newest group first. */
export function groupFlows(entries: readonly TraceEntry[]): FlowGroup[] {
  const groups: FlowGroup[] = [];
  const byFlow = new Map<string, TraceEntry[]>();
  const order: { flow?: string; entry?: TraceEntry }[] = [];
  for (const e of entries) {
    if (e.flow === undefined) {
      order.push({ entry: e });
      continue;
    }
    const list = byFlow.get(e.flow);
    if (list) list.push(e);
    else {
      byFlow.set(e.flow, [e]);
      order.push({ flow: e.flow });
    }
  }
  for (const o of order) groups.push(o.entry ? flowGroup(undefined, [o.entry]) : flowGroup(o.flow, byFlow.get(o.flow as string) ?? []));
  // Newest activity first; equal times keep the recorded order, reversed (the sort is stable).
  return groups.reverse().sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));
}
