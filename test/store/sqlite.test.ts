import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HarnessError } from '../../src/errors.js';
import { SQLITE_SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
import { setAside } from '../../src/store/sqlite-set-aside.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { mapRef, tableRef } from '../../src/store/types.js';
import { storeContract } from './contract.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-harness-store-'));
  dirs.push(dir);
  return openSqliteStore(join(dir, 'harness.db'));
});

describe('SQLite store: the file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sso-harness-file-'));
    dirs.push(dir);
  });

  it('keeps rows and live expiring entries across a close and reopen', async () => {
    const path = join(dir, 'harness.db');
    const first = openSqliteStore(path);
    await first.table(tableRef<{ id: string; email: string }>('users')).insert({ id: 'u1', email: 'ann@acme.test' });
    await first.transaction(async (tx) => {
      await tx.table(tableRef<{ id: string; email: string }>('users')).insert({ id: 'u2', email: 'bob@acme.test' });
    });
    await first.expiring(mapRef<string>('sessions')).add('s1', 'ann', 10_000, 0);
    await first.close();
    const again = openSqliteStore(path);
    assert.deepEqual((await again.table(tableRef<{ id: string; email: string }>('users')).list()).map((u) => u.id), ['u1', 'u2']);
    assert.equal((await again.table(tableRef<{ id: string; email: string }>('users')).findBy('email', 'BOB@acme.test', { caseInsensitive: true }))[0]?.id, 'u2');
    assert.equal(await again.expiring(mapRef<string>('sessions')).get('s1', 5_000), 'ann');
    await again.close();
  });

  it('creates the database readable by its owner only (0600)', async () => {
    const path = join(dir, 'data', 'harness.db');
    const store = openSqliteStore(path);
    await store.table(tableRef('t')).insert({ id: 'x' });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await store.close();
  });

  it('refuses a file that is not a SQLite database, naming it, and leaves it as it was', () => {
    const path = join(dir, 'harness.db');
    writeFileSync(path, 'this is not a database, it is a shopping list\n'.repeat(200));
    const before = readFileSync(path);
    assert.throws(() => openSqliteStore(path), (err: HarnessError) => {
      assert.equal(err.code, 'STORE_UNAVAILABLE');
      assert.ok(err.message.includes(path));
      assert.match(err.message, /not a valid SQLite database.*move it away/);
      return true;
    });
    assert.deepEqual(readFileSync(path), before);
  });

  it('refuses a folder it cannot create, naming the path', () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    assert.throws(() => openSqliteStore(join(blocker, 'harness.db')), (err: HarnessError) => {
      assert.equal(err.code, 'STORE_UNAVAILABLE');
      assert.match(err.message, /not-a-folder.*--data DIR/);
      return true;
    });
  });

  it('refuses a database from a newer sso-harness (higher schema version)', async () => {
    const path = join(dir, 'harness.db');
    (await openSqliteStore(path).close());
    const raw = new Database(path);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => openSqliteStore(path), /schema version 2, written by a newer sso-harness \(this one knows up to 1\); upgrade sso-harness/);
  });

  it('refuses a database another process holds locked, after a short wait', async () => {
    const path = join(dir, 'harness.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE other (x)'); // a schema of version 0: opening it must write, so it must lock
    raw.exec('BEGIN EXCLUSIVE');
    try {
      assert.throws(() => openSqliteStore(path, { busyTimeoutMs: 100 }), (err: HarnessError) => {
        assert.equal(err.code, 'STORE_UNAVAILABLE');
        assert.match(err.message, /locked by another process/);
        return true;
      });
    } finally {
      raw.exec('ROLLBACK');
      raw.close();
    }
  });
});

describe('SQLite store: one instance per file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sso-harness-lock-'));
    dirs.push(dir);
  });

  it('refuses a second open while the first holds the file, naming the holder, and opens again once it is closed', async () => {
    const path = join(dir, 'harness.db');
    const first = openSqliteStore(path, { lockWording: { what: 'the data directory ./here', instead: 'use --data for another' } });
    assert.throws(() => openSqliteStore(path, { lockWording: { what: 'the data directory ./here', instead: 'use --data for another' } }), (err: HarnessError) => {
      assert.equal(err.code, 'STORE_IN_USE');
      assert.equal(err.message, `the data directory ./here is in use by another harness in this process (pid ${process.pid}); use --data for another, or --store postgres://… to share state`);
      return true;
    });
    await first.table(tableRef<{ id: string }>('t')).insert({ id: 'still-working' });
    await first.close();
    const second = openSqliteStore(path);
    assert.deepEqual(await second.table(tableRef<{ id: string }>('t')).list(), [{ id: 'still-working' }]);
    await second.close();
  });

  it('writes the holder\'s pid into the lock file, where another process reads it', async () => {
    const path = join(dir, 'harness.db');
    const store = openSqliteStore(path);
    const header = readFileSync(`${path}.lock`).subarray(0, 100);
    assert.equal(header.readUInt32BE(60), process.pid);
    await store.close();
  });
});

describe('SQLite store: opened empty', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sso-harness-empty-'));
    dirs.push(dir);
  });

  async function withState(path: string): Promise<void> {
    const store = openSqliteStore(path);
    await store.table(tableRef<{ id: string; what: string }>('harness.meta')).insert({ id: 'seed', what: 'demo' });
    await store.table(tableRef<{ id: string; email: string }>('users')).insert({ id: 'u1', email: 'ann@acme.test' });
    await store.close();
  }

  it('moves a database that holds state aside, whole, and opens a new one in its place', async () => {
    const path = join(dir, 'harness.db');
    await withState(path);
    const store = openSqliteStore(path, { emptyBut: ['harness.meta'] });
    try {
      const aside = store.setAsideTo;
      assert.ok(aside !== undefined);
      assert.match(aside, new RegExp(`^${dir}/harness\\.\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.db$`));
      assert.deepEqual(await store.table(tableRef('users')).list(), []);
      assert.deepEqual(await store.table(tableRef('harness.meta')).list(), []);
      const old = new Database(aside, { readonly: true });
      assert.deepEqual(old.prepare('SELECT tbl, id FROM rows ORDER BY seq').all(), [{ tbl: 'harness.meta', id: 'seed' }, { tbl: 'users', id: 'u1' }]);
      old.close();
    } finally {
      await store.close();
    }
  });

  it('never renames over an earlier one: a second move within the same second gets its own name', () => {
    const path = join(dir, 'harness.db');
    const now = new Date('2026-01-02T03:04:05.678Z');
    writeFileSync(path, 'first');
    writeFileSync(`${path}-wal`, 'first wal');
    assert.equal(setAside(path, now), join(dir, 'harness.2026-01-02T03-04-05Z.db'));
    writeFileSync(path, 'second');
    assert.equal(setAside(path, now), join(dir, 'harness.2026-01-02T03-04-05Z-2.db'));
    assert.equal(readFileSync(join(dir, 'harness.2026-01-02T03-04-05Z.db'), 'utf8'), 'first');
    assert.equal(readFileSync(join(dir, 'harness.2026-01-02T03-04-05Z.db-wal'), 'utf8'), 'first wal', 'the WAL goes with its database');
    assert.equal(readFileSync(join(dir, 'harness.2026-01-02T03-04-05Z-2.db'), 'utf8'), 'second');
    assert.ok(!existsSync(path));
  });

  it('keeps a database that holds only the kept tables, and moves nothing', async () => {
    const path = join(dir, 'harness.db');
    const first = openSqliteStore(path);
    await first.table(tableRef<{ id: string }>('harness.meta')).insert({ id: 'seed' });
    await first.close();
    const store = openSqliteStore(path, { emptyBut: ['harness.meta'] });
    assert.equal(store.setAsideTo, undefined);
    assert.deepEqual(await store.table(tableRef('harness.meta')).list(), [{ id: 'seed' }]);
    await store.close();
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.db')), ['harness.db']);
  });

  it('leaves a file that is not a SQLite database where it is', () => {
    const path = join(dir, 'harness.db');
    writeFileSync(path, 'a shopping list\n'.repeat(300));
    assert.throws(() => openSqliteStore(path, { emptyBut: ['harness.meta'] }), { code: 'STORE_UNAVAILABLE' });
    assert.equal(readFileSync(path, 'utf8'), 'a shopping list\n'.repeat(300));
    assert.ok(!readdirSync(dir).some((f) => /^harness\.\d/.test(f)));
    assert.ok(existsSync(`${path}.lock`));
  });
});

describe('SQLite store: lookups', () => {
  it('gives fields that differ only in case their own index, and the lookups use them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sso-harness-index-'));
    dirs.push(dir);
    const path = join(dir, 'harness.db');
    const store = openSqliteStore(path);
    const t = store.table(tableRef<{ id: string; username?: string; userName?: string }>('users'));
    await t.insert({ id: 'a', username: 'ann' });
    await t.insert({ id: 'b', userName: 'Ann' });
    assert.deepEqual((await t.findBy('username', 'ANN', { caseInsensitive: true })).map((r) => r.id), ['a']);
    assert.deepEqual((await t.findBy('userName', 'ANN', { caseInsensitive: true })).map((r) => r.id), ['b']);
    await store.close();
    const raw = new Database(path, { readonly: true });
    raw.function('fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : (v as string)));
    const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'rows_by_%'").all() as { name: string }[];
    assert.equal(indexes.length, 2, JSON.stringify(indexes));
    for (const field of ['username', 'userName']) {
      const plan = raw.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM rows WHERE tbl = ? AND fold(json_extract(doc, '$.${field}')) = ? ORDER BY seq`).all('users', 'ann') as { detail: string }[];
      assert.ok(plan.some((p) => /USING INDEX rows_by_ci_username_/.test(p.detail) && !/extension/.test(p.detail)), `${field}: ${JSON.stringify(plan)}`);
    }
    raw.close();
  });
});
