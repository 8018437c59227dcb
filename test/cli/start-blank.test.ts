// `sso-harness start --blank` on a data directory that holds state, and the start banner.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/cli/start-command.js';
import type { HarnessError } from '../../src/errors.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { fixturePem } from '../support/keys.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';

const ADMIN_TOKEN = 'start-blank-test-token-0123456789';
const overrides = { keys: { idp: fixturePem('idp'), sp: fixturePem('sp') }, passwordHashCost: { N: 1024, r: 8, p: 1 }, log: () => undefined, adminToken: ADMIN_TOKEN };

interface Started {
  running: RunningHarness;
  banner: string;
}

async function start(argv: string[]): Promise<Started> {
  let banner = '';
  let errors = '';
  const { exitCode, running } = await startServer({ argv: [...argv, '--port', '0'], env: {}, out: (t) => (banner += t), err: (t) => (errors += t), overrides });
  assert.equal(exitCode, 0, errors);
  assert.ok(running);
  return { running, banner };
}

async function api<T>(url: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json', 'content-type': 'application/json' } });
  assert.ok(res.ok, `${path}: HTTP ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id);
const keptIn = (banner: string): string | undefined => /^The state the store held is kept in (\S+) \(--store with that file starts on it again\)\.$/m.exec(banner)?.[1];

describe('start --blank', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sso-harness-blank-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('starts empty on a data directory that holds state, and keeps that state whole in a file the banner names', async () => {
    const data = join(dir, 'after-demo');
    const demo = await start(['--data', data]);
    assert.deepEqual(ids(await api(demo.running.url, '/sp/api/accounts')), ['acme']);
    await demo.running.close();

    const blank = await start(['--data', data, '--blank']);
    const aside = keptIn(blank.banner);
    try {
      assert.deepEqual(await api(blank.running.url, '/idp/api/apps'), []);
      assert.deepEqual(await api(blank.running.url, '/idp/api/users'), []);
      assert.deepEqual(await api(blank.running.url, '/sp/api/accounts'), []);
      assert.match(blank.banner, /^Started blank: no IdP users or applications, no SP accounts\.$/m);
      assert.ok(aside !== undefined, blank.banner);
      assert.equal(aside.startsWith(`${data}/harness.`), true, aside);
    } finally {
      await blank.running.close();
    }

    const old = await start(['--data', data, '--store', aside]);
    try {
      assert.match(old.banner, /^Restored the state first set up with demo on /m);
      assert.deepEqual(ids(await api(old.running.url, '/sp/api/accounts')), ['acme']);
      assert.deepEqual(ids(await api(old.running.url, '/idp/api/apps')), ['ringcentral']);
    } finally {
      await old.running.close();
    }
  });

  it('keeps what was set up after --blank across a restart without it; --blank again starts over', async () => {
    const data = join(dir, 'by-hand');
    const first = await start(['--data', data, '--blank']);
    assert.equal(keptIn(first.banner), undefined, 'nothing was there to keep');
    await api(first.running.url, '/idp/api/apps', { method: 'POST', body: JSON.stringify({ template: 'ringcentral' }) });
    await first.running.close();

    const restart = await start(['--data', data]);
    assert.deepEqual(ids(await api(restart.running.url, '/idp/api/apps')), ['ringcentral']);
    assert.deepEqual(await api(restart.running.url, '/sp/api/accounts'), [], 'and no demo was seeded over it');
    assert.match(restart.banner, /^Restored the state first set up with blank on /m);
    await restart.running.close();

    const over = await start(['--data', data, '--blank']);
    assert.deepEqual(await api(over.running.url, '/idp/api/apps'), []);
    assert.ok(keptIn(over.banner));
    await over.running.close();

    // Empty already: nothing to keep, nothing moved.
    const again = await start(['--data', data, '--blank']);
    assert.equal(keptIn(again.banner), undefined);
    await again.running.close();
    assert.equal(readdirSync(data).filter((f) => /^harness\.\d{4}-.*\.db$/.test(f)).length, 1);
  });

  describe('on PostgreSQL', () => {
    let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    before(async function () {
      requirePostgres(this);
      db = await freshDatabase();
    });
    after(async () => {
      await db?.drop();
    });

    it('refuses a database that holds state, changing nothing, and joins one a blank start set up', async () => {
      const url = db!.url;
      const blank = await start(['--data', join(dir, 'pg'), '--store', url, '--blank']);
      await blank.running.close();
      // A second instance started with --blank joins the blank state the first set up.
      const replica = await start(['--data', join(dir, 'pg'), '--store', url, '--blank']);
      await api(replica.running.url, '/sp/api/accounts', { method: 'POST', body: JSON.stringify({ name: 'Initech' }) });
      await replica.running.close();

      await assert.rejects(startServer({ argv: ['--data', join(dir, 'pg'), '--store', url, '--blank', '--port', '0'], env: {}, out: () => undefined, err: () => undefined, overrides }), (err: HarnessError) => {
        assert.equal(err.code, 'STORE_NOT_EMPTY');
        assert.match(err.message, /already holds state.*start without --blank to use it as it is, or give --store an empty database$/);
        return true;
      });
      const kept = await start(['--data', join(dir, 'pg'), '--store', url]);
      assert.deepEqual((await api<{ name: string }[]>(kept.running.url, '/sp/api/accounts')).map((a) => a.name), ['Initech']);
      await kept.running.close();
    });
  });
});

describe('the start banner', function () {
  this.timeout(30_000);

  it('lists the consoles, at addresses that serve them', async () => {
    const { running, banner } = await start(['--store', 'memory']);
    try {
      const url = running.url;
      assert.ok(banner.includes(`Consoles (sign in with the admin token below):\n  IdP console            ${url}/idp/admin\n  SP admin               ${url}/sp/admin\n  Trace viewer           ${url}/debug\n`), banner);
      for (const path of ['/idp/admin', '/sp/admin', '/debug']) {
        const res = await fetch(`${url}${path}`, { redirect: 'manual' });
        assert.equal(res.status, 303, path);
        assert.match(res.headers.get('location') ?? '', /^\/admin\/login\b/, path);
      }
      assert.match(banner, /^Demo account Acme Corp; IdP users/m);
      assert.doesNotMatch(banner, /First steps/);
    } finally {
      await running.close();
    }
  });

  it('after --blank, gives the first steps as admin API calls that work as printed', async () => {
    const { running, banner } = await start(['--store', 'memory', '--blank']);
    try {
      const url = running.url;
      assert.match(banner, new RegExp(`^ {2}1\\. IdP: add the RingCentral application, with "Add an application" at ${url}/idp/admin, or$`, 'm'));
      const calls = [...banner.matchAll(/^ +curl -H '([^']+)' -H '([^']+)' \\\n +-d '([^']+)' (\S+)$/gm)];
      assert.deepEqual(calls.map((c) => c[4]), [`${url}/idp/api/apps`, `${url}/sp/api/accounts`]);
      for (const [, auth, type, body, target] of calls) {
        const header = (h: string): [string, string] => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1).trim()];
        const res = await fetch(target!, { method: 'POST', headers: [header(auth!), header(type!)], body });
        assert.equal(res.status, 201, `${target}: ${await res.text()}`);
      }
      const apps = await api<{ id: string; metadataUrl: string }[]>(url, '/idp/api/apps');
      assert.deepEqual(ids(apps), ['ringcentral']);
      assert.equal((await fetch(apps[0]!.metadataUrl)).status, 200);
      assert.deepEqual(ids(await api(url, '/sp/api/accounts')), ['acme']);
    } finally {
      await running.close();
    }
  });
});

describe('start with a data directory held by this process', () => {
  it('refuses with STORE_IN_USE and leaves the running harness serving', async function () {
    this.timeout(30_000);
    const data = await mkdtemp(join(tmpdir(), 'sso-harness-held-'));
    const first = await start(['--data', data, '--store', 'sqlite']);
    try {
      await assert.rejects(startServer({ argv: ['--data', data, '--port', '0'], env: {}, out: () => undefined, err: () => undefined, overrides }), { code: 'STORE_IN_USE' });
      assert.equal((await fetch(`${first.running.url}/healthz`)).status, 200);
      assert.ok(existsSync(join(data, 'harness.db.lock')));
    } finally {
      await first.running.close();
      await rm(data, { recursive: true, force: true });
    }
  });
});
