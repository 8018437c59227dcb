// The SQLite store's expiring maps: one row per live key, added and taken with single statements;
// bounded, and purged now and then as they are written.
import type { StatementRunner, Statements } from './sqlite-schema.js';
import { storeFull, type ExpiringMap } from './types.js';

/** Purges expired entries of a map every this many writes to it. */
const PURGE_EVERY = 500;

export class SqliteExpiringMap<V> implements ExpiringMap<V> {
  private writes = 0;
  private latestNowMs = 0;
  /** An upper estimate of the entries, recounted when it passes the bound. */
  private approxSize: number | undefined;

  constructor(
    private readonly store: StatementRunner,
    private readonly name: string,
    private readonly maxEntries: number,
    private readonly refuseWhenFull: boolean,
  ) {}

  private get s(): Statements {
    return this.store.statements;
  }

  /**
   * A map that refuses when full: room for a new key once expired entries are gone, or STORE_FULL.
   * A key with a live entry takes no room (add answers false, set replaces it).
   */
  private ensureRoom(key: string, nowMs: number): void {
    if (!this.refuseWhenFull || (this.approxSize ?? this.maxEntries) < this.maxEntries) return;
    const row = this.s.mapGet.get(this.name, key);
    if (row && row.expires_at > nowMs) return;
    this.s.mapPurge.run(this.name, nowMs);
    const exact = this.s.mapCount.get(this.name)?.n ?? 0;
    this.approxSize = exact;
    if (exact >= this.maxEntries) throw storeFull(this.name, this.maxEntries);
  }

  private live(key: string, nowMs: number): { value: string } | undefined {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    const row = this.s.mapGet.get(this.name, key);
    if (!row) return undefined;
    if (row.expires_at <= nowMs) {
      this.s.mapDelete.run(this.name, key);
      return undefined;
    }
    return row;
  }

  private write(key: string, value: V, expiresAtMs: number): void {
    this.s.mapPut.run(this.name, key, JSON.stringify(value), expiresAtMs);
    this.afterWrite();
  }

  /** Occasional purge of expired entries, and the size bound. */
  private afterWrite(): void {
    if (++this.writes % PURGE_EVERY === 0 && this.latestNowMs > 0) this.s.mapPurge.run(this.name, this.latestNowMs);
    this.approxSize = (this.approxSize ?? this.s.mapCount.get(this.name)?.n ?? 0) + 1;
    if (this.approxSize > this.maxEntries && !this.refuseWhenFull) {
      const exact = this.s.mapCount.get(this.name)?.n ?? 0;
      if (exact > this.maxEntries) this.s.mapTrim.run(this.name, exact - this.maxEntries);
      this.approxSize = Math.min(exact, this.maxEntries);
    }
  }

  add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return this.store.run(() => {
      this.latestNowMs = Math.max(this.latestNowMs, nowMs);
      this.ensureRoom(key, nowMs);
      // One statement: inserted, or replacing an expired entry (which keeps its place in the trim
      // order); a live entry is left as it is.
      if (this.s.mapAdd.run(this.name, key, JSON.stringify(value), expiresAtMs, nowMs).changes === 0) return false;
      this.afterWrite();
      return true;
    });
  }

  set(key: string, value: V, expiresAtMs: number): Promise<void> {
    return this.store.run(() => {
      this.ensureRoom(key, this.latestNowMs);
      this.write(key, value, expiresAtMs);
    });
  }

  get(key: string, nowMs: number): Promise<V | undefined> {
    return this.store.run(() => {
      const row = this.live(key, nowMs);
      return row ? (JSON.parse(row.value) as V) : undefined;
    });
  }

  take(key: string, nowMs: number): Promise<V | undefined> {
    return this.store.run(() => {
      this.latestNowMs = Math.max(this.latestNowMs, nowMs);
      // A miss (the usual answer for the queued-scenario lookups) only reads; a hit is removed and
      // read in one statement, an expired entry removed all the same.
      if (!this.s.mapGet.get(this.name, key)) return undefined;
      const row = this.s.mapTake.get(this.name, key);
      return row && row.expires_at > nowMs ? (JSON.parse(row.value) as V) : undefined;
    });
  }

  delete(key: string): Promise<void> {
    return this.store.run(() => {
      this.s.mapDelete.run(this.name, key);
    });
  }

  size(): Promise<number> {
    return this.store.run(() => this.s.mapCount.get(this.name)?.n ?? 0);
  }

  /** After the map was emptied behind its back: count again on the next write. */
  forgetSize(): void {
    this.approxSize = undefined;
  }
}
