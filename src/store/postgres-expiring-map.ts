// The PostgreSQL store's expiring maps: one row per live key, claimed and added with single
// statements so instances sharing the database never both win; bounded, and purged now and then.
import { storeFull, type ExpiringMap } from './types.js';
import type { PostgresStatements } from './postgres-schema.js';

const PURGE_EVERY = 500;

export class PostgresExpiringMap<V> implements ExpiringMap<V> {
  private writes = 0;
  private latestNowMs = 0;

  constructor(
    private readonly store: PostgresStatements,
    private readonly name: string,
    private readonly maxEntries: number,
    private readonly refuseWhenFull: boolean,
  ) {}

  /**
   * A map that refuses when full: room for a new key once expired entries are gone, or STORE_FULL.
   * A key with a live entry takes no room. Instances check on their own, so together they may go
   * a few entries past the bound; they never drop a live entry.
   */
  private async ensureRoom(key: string, nowMs: number): Promise<void> {
    if (!this.refuseWhenFull || (this.approxSize ?? this.maxEntries) < this.maxEntries) return;
    const live = await this.store.query('SELECT 1 FROM expiring WHERE map = $1 AND key = $2 AND expires_at > $3', [this.name, key, nowMs]);
    if ((live.rowCount ?? 0) > 0) return;
    await this.store.query('DELETE FROM expiring WHERE map = $1 AND expires_at <= $2', [this.name, nowMs]);
    const exact = await this.count();
    this.approxSize = exact;
    if (exact >= this.maxEntries) throw storeFull(this.name, this.maxEntries);
  }

  /** An estimate of the entries (other instances add too): recounted when it passes the bound, and every PURGE_EVERY writes. */
  private approxSize: number | undefined;

  private async count(): Promise<number> {
    const r = await this.store.query<{ n: string }>('SELECT count(*) AS n FROM expiring WHERE map = $1', [this.name]);
    return Number(r.rows[0]?.n ?? 0);
  }

  private async afterWrite(): Promise<void> {
    const purge = ++this.writes % PURGE_EVERY === 0;
    if (purge && this.latestNowMs > 0) await this.store.query('DELETE FROM expiring WHERE map = $1 AND expires_at <= $2', [this.name, this.latestNowMs]);
    this.approxSize = (this.approxSize ?? (await this.count())) + 1;
    if (!purge && this.approxSize <= this.maxEntries) return;
    const exact = await this.count();
    if (exact > this.maxEntries && !this.refuseWhenFull) {
      await this.store.query('DELETE FROM expiring WHERE seq IN (SELECT seq FROM expiring WHERE map = $1 ORDER BY seq LIMIT $2)', [this.name, exact - this.maxEntries]);
    }
    this.approxSize = Math.min(exact, this.maxEntries);
  }

  async add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean> {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    await this.ensureRoom(key, nowMs);
    // One statement: a new key, or an expired entry replaced; a live one stays and nothing is returned.
    const r = await this.store.query(
      `INSERT INTO expiring (map, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (map, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, seq = nextval(pg_get_serial_sequence('expiring', 'seq'))
       WHERE expiring.expires_at <= $5`,
      [this.name, key, JSON.stringify(value), expiresAtMs, nowMs],
    );
    if (r.rowCount === 0) return false;
    await this.afterWrite();
    return true;
  }

  async set(key: string, value: V, expiresAtMs: number): Promise<void> {
    await this.ensureRoom(key, this.latestNowMs);
    await this.store.query(
      `INSERT INTO expiring (map, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (map, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, seq = nextval(pg_get_serial_sequence('expiring', 'seq'))`,
      [this.name, key, JSON.stringify(value), expiresAtMs],
    );
    await this.afterWrite();
  }

  async get(key: string, nowMs: number): Promise<V | undefined> {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    const r = await this.store.query<{ value: unknown }>('SELECT value FROM expiring WHERE map = $1 AND key = $2 AND expires_at > $3', [this.name, key, nowMs]);
    return r.rows[0] ? (r.rows[0].value as V) : undefined;
  }

  async take(key: string, nowMs: number): Promise<V | undefined> {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    // Claimed by exactly one caller, whichever instance it runs on.
    const r = await this.store.query<{ value: unknown; expires_at: string }>('DELETE FROM expiring WHERE map = $1 AND key = $2 RETURNING value, expires_at', [this.name, key]);
    const row = r.rows[0];
    return row && Number(row.expires_at) > nowMs ? (row.value as V) : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.store.query('DELETE FROM expiring WHERE map = $1 AND key = $2', [this.name, key]);
  }

  size(): Promise<number> {
    return this.count();
  }

  /** After the map was emptied behind its back: count again on the next write. */
  forgetSize(): void {
    this.approxSize = undefined;
  }
}
