// Seeding at start: readiness means seeded and ready (/healthz and every other request answer 503
// HARNESS_STARTING until then), seeding never goes through the public URL (which may lead to
// another instance, or nowhere from inside a container), and a first setup killed half-way is
// redone by the next start instead of refusing the store for good.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { DEMO_ACCOUNT, DEMO_SEED, seedDemo } from '../../src/harness/demo.js';
import { startHarness } from '../../src/index.js';
import { applySeed } from '../../src/harness/seed.js';
import { listen } from '../../src/harness/server.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { fixturePem } from '../support/keys.js';
import { freePort } from '../support/net.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';

const quick = {
  adminToken: ADMIN_TOKEN,
  keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
  passwordHashCost: { N: 1024, r: 8, p: 1 },
  log: () => undefined,
};

/** A fetch that sends requests for `publicUrl` to the instance actually listening at `port`. */
const towards = (publicUrl: string, port: () => number): typeof fetch => (input, init) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  if (url.origin === publicUrl) url.port = String(port());
  return fetch(url, init);
};

async function closedPort(): Promise<number> {
  return freePort(); // nothing listens there once the probe is closed
}

describe('seeding at start', function () {
  this.timeout(60_000);

  it('answers /healthz and every other request with 503 HARNESS_STARTING until the demo is seeded, then ok', async () => {
    const port = await freePort();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let seedingStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (seedingStarted = resolve));
    // The seed's first outbound request waits at the gate: the harness is listening but not seeded.
    const gated: typeof fetch = async (input, init) => {
      seedingStarted();
      await gate;
      return fetch(input, init);
    };
    const harness = startHarness({ ...quick, port, host: '127.0.0.1', fetch: gated });
    try {
      await started;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 503);
      assert.equal(health.headers.get('retry-after'), '1');
      const body = (await health.json()) as { error: string; message: string };
      assert.equal(body.error, 'HARNESS_STARTING');
      assert.match(body.message, /seeding its state \(demo\)/);
      const api = await fetch(`http://127.0.0.1:${port}/idp/api/users`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(api.status, 503);
    } finally {
      release();
    }
    const ready = await harness;
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true });
      const users = await ready.admin.idp.listUsers();
      assert.equal(users.length, 3);
    } finally {
      await ready.close();
    }
  });

  it('seeds without reaching its own public URL, and records the public metadata URL', async () => {
    // The public URL leads nowhere from here, as a container's published port does from inside.
    const publicUrl = `http://127.0.0.1:${await closedPort()}`;
    const harness = await startHarness({ ...quick, port: 0, baseUrl: publicUrl });
    try {
      // The admin clients talk to the public URL: read the SP's state directly.
      const stored = await harness.sp.accounts.get(DEMO_ACCOUNT.id);
      assert.deepEqual(stored?.sso.idp?.source, { kind: 'url', url: `${publicUrl}/idp/apps/ringcentral/metadata` });
      assert.equal(stored?.sso.enabled, true);
    } finally {
      await harness.close();
    }
  });

  describe('a first setup killed half-way', () => {
    async function startKilledThenAgain(store: string): Promise<void> {
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      const base = { ...quick, port, host: '127.0.0.1', store, baseUrl: publicUrl, demo: true };
      // The first start stops half-way through the demo: the IdP users are there, nothing else.
      await assert.rejects(
        listen(base, {
          seed: {
            what: 'demo',
            run: async (target) => {
              await applySeed({ users: DEMO_SEED.users ?? [] }, target);
              throw new Error('killed');
            },
          },
        }),
        /killed/,
      );
      const again = await listen(base, { seed: { what: 'demo', run: (target) => seedDemo(target) } });
      try {
        assert.equal(again.restored, undefined, 'seeded again, not restored');
        const users = await again.app.harness.idp.directory.listUsers();
        assert.deepEqual(users.map((u) => u.email).sort(), ['ann@acme.test', 'bob@acme.test', 'carol@acme.test']);
        const port2 = (again.server.address() as AddressInfo).port;
        const login = await headlessLogin({ spBaseUrl: publicUrl, email: 'ann@acme.test', password: 'ann-password-1', fetch: towards(publicUrl, () => port2) });
        assert.equal(login.ok, true, JSON.stringify(login.error ?? login.hops));
      } finally {
        await again.close();
      }
    }

    it('is redone from a clean store by the next start (SQLite)', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sso-harness-half-seed-'));
      try {
        await startKilledThenAgain(join(dir, 'harness.db'));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('is redone from a clean store by the next start (PostgreSQL)', async function () {
      requirePostgres(this);
      const db = await freshDatabase();
      try {
        await startKilledThenAgain(db.url);
      } finally {
        await db.drop();
      }
    });
  });
});
