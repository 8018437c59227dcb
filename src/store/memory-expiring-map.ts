// The in-memory store's expiring maps: bounded, purged as they are written, and journaled inside a
// transaction like the tables, so a failing transaction takes its map writes back too.
import { Buffer } from 'node:buffer';
import type { CurrentJournal } from './memory-journal.js';
import { storeFull, type ExpiringMap } from './types.js';

/** A stored value (as JSON, the form the SQL stores keep too) and when it expires. */
class Entry {
  constructor(
    readonly json: string,
    readonly expiresAtMs: number,
  ) {}
}

/**
 * What the map holds per key: an Entry, or for the value `true` (a set member, as in the replay
 * caches, which hold one per login) the bare expiry, so such an entry costs its key and a number.
 */
type Slot = Entry | number;

/**
 * A flat copy of a string, one byte per character when it is ASCII. A string cut from a larger one
 * (an assertion ID read out of the response XML) shares that larger string's memory: kept as a map
 * key it would keep the whole document alive for as long as the entry lives. Exact for every
 * well-formed string (UTF-8 round trip); the comparison catches the others (lone surrogates).
 */
function ownCopy(text: string): string {
  const copied = Buffer.from(text, 'utf8').toString('utf8');
  return copied === text ? copied : structuredClone(text);
}

const expiryOf = (slot: Slot): number => (typeof slot === 'number' ? slot : slot.expiresAtMs);
const slotFor = (value: unknown, expiresAtMs: number): Slot =>
  // JSON.stringify makes a new string of its own: only keys need ownCopy.
  value === true ? expiresAtMs : new Entry(JSON.stringify(value) ?? 'null', expiresAtMs);
const valueOf = <V>(slot: Slot): V => (typeof slot === 'number' ? true : JSON.parse(slot.json)) as V;

/**
 * A Map in insertion order; when full, the oldest entries go first (they expire first too).
 * Expired entries are dropped from the oldest end on every write, so a map written at a steady
 * rate holds what is live and no more. Inside a transaction every change, purges and evictions
 * included, is journaled; undoing a removal puts the entry back at the young end, so it is purged
 * or evicted a little later than it would have been, never lost.
 */
export class MemoryExpiringMap<V> implements ExpiringMap<V> {
  private readonly entries = new Map<string, Slot>();
  /** The time of the latest read or add: `set` is given no time, and purges up to this one. */
  private lastNowMs = Number.NEGATIVE_INFINITY;
  /**
   * For a refusing map: no entry expires before this (a lower bound, kept on every write), so a
   * full map refuses at once until then instead of scanning every entry on every refused write
   * (a flood of refused writes must cost little).
   */
  private earliestExpiryMs = Number.NEGATIVE_INFINITY;

  constructor(
    /** The undo journal of the running transaction, when the call is made inside one. */
    private readonly journal: CurrentJournal,
    private readonly name: string,
    private readonly maxEntries: number,
    private readonly refuseWhenFull: boolean,
  ) {}

  clear(): void {
    this.entries.clear();
  }

  /** Sets or removes (`undefined`) one entry, journaled when a transaction is running. */
  private change(key: string, slot: Slot | undefined): void {
    const journal = this.journal();
    if (journal) {
      const before = this.entries.get(key);
      journal.push(() => this.restore(key, before));
    }
    if (slot === undefined) this.entries.delete(key);
    else this.entries.set(key, slot);
  }

  private restore(key: string, before: Slot | undefined): void {
    if (before === undefined) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, before);
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiryOf(before));
  }

  private live(key: string, nowMs: number): Slot | undefined {
    this.lastNowMs = nowMs;
    const slot = this.entries.get(key);
    if (slot !== undefined && expiryOf(slot) <= nowMs) {
      this.change(key, undefined);
      return undefined;
    }
    return slot;
  }

  private makeRoom(nowMs: number): void {
    if (this.entries.size < this.maxEntries) return;
    if (this.refuseWhenFull) {
      if (nowMs < this.earliestExpiryMs) throw storeFull(this.name, this.maxEntries);
      // Every expired entry goes, wherever it sits; a map still full of live entries refuses.
      let earliest = Number.POSITIVE_INFINITY;
      for (const [key, slot] of this.entries) {
        const expiry = expiryOf(slot);
        if (expiry <= nowMs) this.change(key, undefined);
        else earliest = Math.min(earliest, expiry);
      }
      this.earliestExpiryMs = earliest;
      if (this.entries.size >= this.maxEntries) throw storeFull(this.name, this.maxEntries);
      return;
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.change(oldest.value, undefined);
    }
  }

  /** Drops expired entries from the oldest end (entries mostly expire in the order they came). */
  private purge(nowMs: number): void {
    for (const [key, slot] of this.entries) {
      if (expiryOf(slot) > nowMs) return;
      this.change(key, undefined);
    }
  }

  async add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (this.live(key, nowMs) !== undefined) return false;
    this.purge(nowMs);
    this.makeRoom(nowMs);
    this.change(ownCopy(key), slotFor(value, expiresAtMs));
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiresAtMs);
    return true;
  }

  async set(key: string, value: V, expiresAtMs: number): Promise<void> {
    this.change(key, undefined);
    this.purge(this.lastNowMs);
    this.makeRoom(this.lastNowMs);
    this.change(ownCopy(key), slotFor(value, expiresAtMs));
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiresAtMs);
  }

  async get(key: string, nowMs: number): Promise<V | undefined> {
    const slot = this.live(key, nowMs);
    return slot === undefined ? undefined : valueOf<V>(slot);
  }

  async take(key: string, nowMs: number): Promise<V | undefined> {
    const slot = this.live(key, nowMs);
    if (slot === undefined) return undefined;
    this.change(key, undefined);
    return valueOf<V>(slot);
  }

  async delete(key: string): Promise<void> {
    this.change(key, undefined);
  }

  async size(): Promise<number> {
    return this.entries.size;
  }
}
