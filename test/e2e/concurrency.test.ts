// Concurrent SCIM writes against every store: one userName posted 50 times at once is created
// once; concurrent PATCHes of one user leave a state one of them produced; a stale If-Match is 412.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningHarness } from '../../src/harness/server.js';
import { patchOp, rcUser, SCIM_JSON, scimTarget, type ScimTarget } from '../scim/support.js';
import { startTestServer } from '../support/harness.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

async function scim(t: ScimTarget, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; etag: string | null }> {
  const res = await fetch(`${t.server.url}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${t.token}`, accept: SCIM_JSON, ...(body !== undefined && { 'content-type': SCIM_JSON }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, etag: res.headers.get('etag') };
}

function concurrencySuite(label: string, storeFor: () => Promise<{ store: string; cleanup: () => Promise<void> }>): void {
  describe(`concurrent SCIM writes (${label})`, function () {
    this.timeout(60_000);
    let server: RunningHarness;
    let t: ScimTarget;
    let cleanup: () => Promise<void>;

    before(async () => {
      let store: string;
      ({ store, cleanup } = await storeFor());
      server = await startTestServer({ store });
      t = await scimTarget(server, { rules: { activationEmail: false } });
    });
    after(async () => {
      await server?.close();
      await cleanup?.();
    });

    it('creates one user from 50 simultaneous POSTs of one userName; the other 49 get 409 uniqueness', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => scim(t, 'POST', '/Users', rcUser('race@acme.test'))));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
      assert.equal(statuses.filter((s) => s === 409).length, 49, JSON.stringify(statuses));
      for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.scimType, 'uniqueness');
      const listed = await scim(t, 'GET', `/Users?filter=${encodeURIComponent('userName eq "race@acme.test"')}`);
      assert.equal(listed.body.totalResults, 1);
    });

    it('leaves a user as one of 20 concurrent PATCHes made it, whole, with one version per write', async () => {
      const created = await scim(t, 'POST', '/Users', rcUser('patched@acme.test'));
      const id = created.body.id as string;
      const writes = Array.from({ length: 20 }, (_, i) => ({ department: `Dept ${i}`, title: `Title ${i}`, givenName: `Given${i}` }));
      const results = await Promise.all(
        writes.map((w) =>
          scim(
            t,
            'PATCH',
            `/Users/${id}`,
            patchOp(
              { op: 'replace', path: `${ENTERPRISE}:department`, value: w.department },
              { op: 'replace', path: 'name.givenName', value: w.givenName },
            ),
          ),
        ),
      );
      assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
      const final = await scim(t, 'GET', `/Users/${id}`);
      const department = (final.body[ENTERPRISE] as { department: string }).department;
      const given = (final.body.name as { givenName: string }).givenName;
      const k = writes.findIndex((w) => w.department === department);
      assert.ok(k >= 0, department);
      assert.equal(given, writes[k]?.givenName, 'the department and the name come from the same PATCH');
      // Each PATCH was applied on top of the one before: every answer carries its own version.
      const etags = results.map((r) => r.etag);
      assert.equal(new Set(etags).size, 20);
      assert.equal(final.etag, results.find((r) => (r.body[ENTERPRISE] as { department: string }).department === department)?.etag);
    });

    it('answers a write with a stale If-Match with 412 and changes nothing', async () => {
      const created = await scim(t, 'POST', '/Users', rcUser('etag@acme.test'));
      const id = created.body.id as string;
      const stale = created.etag as string;
      const fresh = await scim(t, 'PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'name.givenName', value: 'First' }), { 'if-match': stale });
      assert.equal(fresh.status, 200);
      const refused = await scim(t, 'PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'name.givenName', value: 'Second' }), { 'if-match': stale });
      assert.equal(refused.status, 412);
      assert.equal(((await scim(t, 'GET', `/Users/${id}`)).body.name as { givenName: string }).givenName, 'First');
      assert.equal((await scim(t, 'DELETE', `/Users/${id}`, undefined, { 'if-match': stale })).status, 412);
    });
  });
}

concurrencySuite('memory', async () => ({ store: 'memory', cleanup: async () => undefined }));
concurrencySuite('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sso-harness-concurrency-'));
  return { store: join(dir, 'harness.db'), cleanup: () => rm(dir, { recursive: true, force: true }) };
});
describe('concurrent SCIM writes on PostgreSQL', function () {
  before(function () {
    requirePostgres(this);
  });
  concurrencySuite('PostgreSQL', async () => {
    const db = await freshDatabase();
    return { store: db.url, cleanup: db.drop };
  });
});
