// Starting empty on a SQLite file that holds state (`start --blank` after a demo, or after a setup
// done by hand): the file is renamed beside itself, never deleted, and a new one takes its place.
import { existsSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Db } from './sqlite-schema.js';

/** Whether the database holds a row of a table other than `keepTables` (the harness's own marks). */
export function holdsRowsBut(db: Db, keepTables: readonly string[]): boolean {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rows'").get()) return false;
  const kept = keepTables.length > 0 ? ` WHERE tbl NOT IN (${keepTables.map(() => '?').join(', ')})` : '';
  return db.prepare(`SELECT 1 FROM rows${kept} LIMIT 1`).get(...keepTables) !== undefined;
}

/** `harness.db` → `harness.2026-12-06T17-05-03Z.db` (then `…Z-2.db` if taken), in the same folder. */
function asideName(path: string, now: Date): string {
  const ext = extname(path);
  const stem = join(dirname(path), basename(path, ext));
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  for (let n = 1; ; n++) {
    const candidate = `${stem}.${stamp}${n > 1 ? `-${n}` : ''}${ext}`;
    if (!existsSync(candidate) && !existsSync(`${candidate}-wal`)) return candidate;
  }
}

/**
 * Renames the closed database at `path` (with its WAL and shared-memory files, if a crash left
 * them) to a dated name beside it, and returns that name. The caller holds the file's lock, so
 * no other sso-harness has it open.
 */
export function setAside(path: string, now: Date = new Date()): string {
  const aside = asideName(path, now);
  renameSync(path, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  }
  return aside;
}
