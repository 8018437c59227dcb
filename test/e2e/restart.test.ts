// Durable state: the seed's whole setup, Identity Management and SCIM provisioning on a SQLite
// store, then a restart from the same data directory: logins work without redoing anything, and
// SCIM lists the same users. The same run against PostgreSQL when a server is configured.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNT, DEMO_APP_ID, DEMO_GROUP, seedDemo } from '../../src/harness/demo.js';
import { seedOnce } from '../../src/harness/seed.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { activateFromOutbox, authorizeAtSp, idle, spUsers, ssoLogin } from '../provisioning/idm-walk.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { freePort } from '../support/net.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';

const IDM = `/idp/api/apps/${DEMO_APP_ID}/idm`;

interface Snapshot {
  scimUserNames: string[];
  spDirectory: string[];
  idmStatus: string;
  jobs: number;
  outbox: number;
}

/** The IdP's SCIM token for the app, as its provisioning client holds it. */
async function scimToken(server: RunningHarness): Promise<string> {
  const state = await server.app.harness.idp.idm.get(DEMO_APP_ID);
  if (!state.tokens) throw new Error('the IdP holds no SCIM token');
  return state.tokens.accessToken;
}

async function snapshot(server: RunningHarness): Promise<Snapshot> {
  const res = await fetch(`${server.url}/scim/v2/Users?count=1000`, { headers: { authorization: `Bearer ${await scimToken(server)}` } });
  assert.equal(res.status, 200, 'the SCIM token issued before the restart still works');
  const body = (await res.json()) as { Resources: { userName: string }[] };
  return {
    scimUserNames: body.Resources.map((r) => r.userName).sort(),
    spDirectory: (await spUsers(server)).map((u) => `${u.email}:${u.status}`).sort(),
    idmStatus: (await admin(server, 'get', IDM).expect(200)).body.status,
    jobs: ((await admin(server, 'get', `${IDM}/jobs`).expect(200)).body as unknown[]).length,
    outbox: ((await admin(server, 'get', `/sp/api/accounts/${DEMO_ACCOUNT.id}/outbox`).expect(200)).body as unknown[]).length,
  };
}

function restartSuite(label: string, storeFor: () => Promise<{ store: string; cleanup: () => Promise<void> }>): void {
  describe(`restart from a durable store (${label})`, function () {
    this.timeout(60_000);
    let store: string;
    let dataDir: string;
    let cleanup: () => Promise<void>;
    let port: number;
    let first: Snapshot;

    const start = async (): Promise<RunningHarness> => startTestServer({ port, store, dataDir });

    before(async function () {
      ({ store, cleanup } = await storeFor());
      dataDir = await mkdtemp(join(tmpdir(), 'sso-harness-restart-'));
      port = await freePort();
    });
    after(async () => {
      await cleanup?.();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('sets up SSO and Identity Management, provisions users over SCIM, and stops', async () => {
      const server = await start();
      try {
        const target = { idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN };
        assert.equal(await seedOnce(server.app.harness, 'demo', () => seedDemo(target)), undefined);
        const { authorizeUrl } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
        assert.equal((await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1')).status, 200);
        await idle(server);
        const groups = (await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[];
        const groupId = groups.find((g) => g.name === DEMO_GROUP)?.id;
        for (const [email, first] of [
          ['dana@acme.test', 'Dana'],
          ['eve@acme.test', 'Eve'],
        ] as const) {
          const created = await admin(server, 'post', '/idp/api/users')
            .send({ email, firstName: first, lastName: 'New', number: '+16505550104', password: `${first}-password-1`, addresses: [{ type: 'work', country: 'US' }] })
            .expect(201);
          await admin(server, 'put', `/idp/api/groups/${groupId}/members/${created.body.id}`).expect(200);
        }
        await idle(server);
        assert.equal((await activateFromOutbox(server, 'dana@acme.test')).status, 'active');
        assert.equal((await ssoLogin(server, 'dana@acme.test', 'Dana-password-1')).ok, true);
        first = await snapshot(server);
        assert.ok(first.scimUserNames.includes('dana@acme.test') && first.scimUserNames.includes('eve@acme.test'), first.scimUserNames.join());
        assert.ok(first.spDirectory.includes('eve@acme.test:pending'));
        assert.equal(first.idmStatus, 'verified');
        assert.ok(first.jobs >= 2 && first.outbox >= 2);
      } finally {
        await server.close();
      }
    });

    it('comes back with everything: no seeding, the same SCIM users, SP-initiated logins work', async () => {
      const server = await start();
      try {
        const mark = await seedOnce(server.app.harness, 'demo', () => Promise.reject(new Error('must not seed again')));
        assert.equal(mark?.what, 'demo');
        assert.deepEqual(await snapshot(server), first);
        for (const [email, password] of [
          ['ann@acme.test', 'ann-password-1'],
          ['dana@acme.test', 'Dana-password-1'],
        ] as const) {
          const login = await ssoLogin(server, email, password);
          assert.equal(login.ok, true, `${email}: ${JSON.stringify(login.error ?? login.hops).slice(0, 300)}`);
          assert.equal(login.session?.email, email);
        }
        // Provisioning goes on where it stopped: a change at the IdP reaches the SP over SCIM.
        const dana = ((await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[]).find((u) => u.email === 'dana@acme.test');
        await admin(server, 'patch', `/idp/api/users/${dana?.id}`).send({ department: 'Support' }).expect(200);
        await idle(server);
        const res = await fetch(`${server.url}/scim/v2/Users?filter=${encodeURIComponent('userName eq "dana@acme.test"')}`, {
          headers: { authorization: `Bearer ${await scimToken(server)}` },
        });
        const found = (await res.json()) as { Resources: Record<string, { department?: string } | unknown>[] };
        assert.equal((found.Resources[0]?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as { department?: string })?.department, 'Support');
      } finally {
        await server.close();
      }
    });
  });
}

restartSuite('SQLite', async () => ({ store: 'sqlite', cleanup: async () => undefined }));

describe('PostgreSQL restart', function () {
  before(function () {
    requirePostgres(this);
  });
  restartSuite('PostgreSQL', async () => {
    const db = await freshDatabase();
    return { store: db.url, cleanup: db.drop };
  });
});
