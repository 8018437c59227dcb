// RFC 7644 rows of reference/scim-conformance.md for writes: error bodies, POST, PUT, PATCH,
// DELETE and ETags, against /scim/v2 over HTTP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { ENTERPRISE_USER, ERROR_SCHEMA, patchOp, rcUser, SCIM_JSON, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe('SCIM writes (RFC 7644)', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  let n = 0;
  const logged: string[] = [];
  const fresh = (): string => `user${++n}-${randomUUID().slice(0, 6)}@acme.test`;
  const create = async (extra: Record<string, unknown> = {}) => (await t.scim('post', '/Users').send(rcUser(fresh(), extra)).expect(201)).body;

  before(async () => {
    server = await startTestServer({ log: (line) => logged.push(line) });
    t = await scimTarget(server, { rules: { activationEmail: false } });
  });
  after(() => server.close());

  describe('error bodies (§3.12)', () => {
    const cases: [string, () => request.Test, number, string | undefined][] = [
      ['malformed JSON', () => t.scim('post', '/Users').send('{"userName":'), 400, 'invalidSyntax'],
      ['a bad filter', () => t.scim('get', `/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter'],
      ['a filter with too many comparisons', () => t.scim('get', `/Users?filter=${encodeURIComponent(Array.from({ length: 60 }, () => 'userName pr').join(' or '))}`), 400, 'tooMany'],
      ['a user without userName', () => t.scim('post', '/Users').send({ name: { givenName: 'A', familyName: 'B' } }), 400, 'invalidValue'],
      ['a body in another media type', () => t.scim('post', '/Users').type('text/plain').send('userName=a'), 415, undefined],
      ['an unknown endpoint', () => t.scim('get', '/Nope'), 404, undefined],
      ['bulk, which is not implemented', () => t.scim('post', '/Bulk').send({}), 501, undefined],
      ['a body over 1 MB', () => t.scim('post', '/Users').send({ userName: 'x'.repeat(1_100_000) }), 413, undefined],
    ];
    for (const [name, send, status, scimType] of cases) {
      it(`answers ${name} with ${status}${scimType ? ` ${scimType}` : ''} in an Error body`, async () => {
        const res = await send();
        assert.equal(res.status, status);
        assert.match(res.headers['content-type'] ?? '', /^application\/scim\+json/);
        assert.deepEqual(res.body.schemas, [ERROR_SCHEMA]);
        assert.equal(res.body.status, String(status));
        assert.equal(res.body.scimType, scimType);
        assert.ok(res.body.detail.length > 10);
      });
    }

    it('answers an unexpected failure with a 500 Error body without internals, and logs it', async () => {
      const sp = server.app.harness.sp;
      const original = sp.directory.list.bind(sp.directory);
      sp.directory.list = async () => {
        throw new Error('secret database detail');
      };
      try {
        const res = await t.scim('get', '/Users');
        assert.equal(res.status, 500);
        assert.equal(res.body.status, '500');
        assert.doesNotMatch(JSON.stringify(res.body), /secret/);
      } finally {
        sp.directory.list = original;
      }
      assert.match(logged.join('\n'), /secret database detail/);
    });
  });

  describe('POST /Users (§3.3)', () => {
    it('answers 201 with Location, ETag and meta', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(fresh())).expect(201);
      const meta = res.body.meta;
      assert.equal(res.headers.location, meta.location);
      assert.equal(meta.location, `${server.url}/scim/v2/Users/${res.body.id}`);
      assert.equal(meta.resourceType, 'User');
      assert.ok(Date.parse(meta.created) > 0 && Date.parse(meta.lastModified) > 0);
      assert.equal(res.headers.etag, meta.version);
      assert.match(meta.version, /^W\/"\d+"$/);
    });

    it('ignores readOnly input (id, meta)', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(fresh(), { id: 'chosen-by-client', meta: { created: '2000-01-01T00:00:00Z' } })).expect(201);
      assert.notEqual(res.body.id, 'chosen-by-client');
      assert.notEqual(res.body.meta.created, '2000-01-01T00:00:00Z');
    });

    it('refuses a duplicate email with 409 uniqueness, whatever its case', async () => {
      const email = fresh();
      await t.scim('post', '/Users').send(rcUser(email)).expect(201);
      const res = await t.scim('post', '/Users').send(rcUser(email.toUpperCase())).expect(409);
      assert.equal(res.body.scimType, 'uniqueness');
      assert.match(res.body.detail, /already exists/);
    });

    it('refuses an email another account uses with 409 uniqueness', async () => {
      const other = await scimTarget(server, { rules: { activationEmail: false } }, 'Other Co');
      const email = fresh();
      await other.scim('post', '/Users').send(rcUser(email)).expect(201);
      const res = await t.scim('post', '/Users').send(rcUser(email)).expect(409);
      assert.match(res.body.detail, /another account/);
    });
  });

  describe('PUT /Users/:id (§3.5.1)', () => {
    it('replaces the whole resource: attributes left out are cleared', async () => {
      const user = await create({ externalId: 'ext-1' });
      const { phoneNumbers: _p, [ENTERPRISE_USER]: _e, externalId: _x, ...rest } = user;
      const res = await t.scim('put', `/Users/${user.id}`).send(rest).expect(200);
      assert.equal(res.body.phoneNumbers, undefined);
      assert.equal(res.body[ENTERPRISE_USER], undefined);
      assert.equal(res.body.externalId, undefined);
      assert.equal(res.body.userName, user.userName);
    });

    it('ignores a readOnly id in the body', async () => {
      const user = await create();
      const res = await t.scim('put', `/Users/${user.id}`).send({ ...user, id: 'other-id' }).expect(200);
      assert.equal(res.body.id, user.id);
    });

    it('answers 404 for an unknown user', async () => {
      await t.scim('put', `/Users/${randomUUID()}`).send(rcUser(fresh())).expect(404);
    });
  });

  describe('PATCH /Users/:id (§3.5.2)', () => {
    it('applies add, replace and remove with paths, value filters and the extension', async () => {
      const user = await create();
      const res = await t
        .scim('patch', `/Users/${user.id}`)
        .send(
          patchOp(
            { op: 'Replace', path: 'emails[type eq "work"].value', value: user.userName.replace('@', '+new@') },
            { op: 'replace', path: 'userName', value: user.userName.replace('@', '+new@') },
            { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+16505550199' },
            { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
            { op: 'replace', path: `${ENTERPRISE_USER}:department`, value: 'Sales' },
            { op: 'add', value: { externalId: 'jc-42', 'name.givenName': 'Gracie' } },
          ),
        )
        .expect(200);
      assert.equal(res.body.emails[0].value, user.userName.replace('@', '+new@'));
      assert.deepEqual(res.body.phoneNumbers, [{ value: '+16505550199', type: 'work' }]);
      assert.equal(res.body[ENTERPRISE_USER].department, 'Sales');
      assert.equal(res.body.externalId, 'jc-42');
      assert.equal(res.body.name.givenName, 'Gracie');
    });

    it('clears an attribute replaced with null or "" (SCIM_Null_Update)', async () => {
      const user = await create({ externalId: 'ext-2' });
      const res = await t
        .scim('patch', `/Users/${user.id}`)
        .send(patchOp({ op: 'replace', path: `${ENTERPRISE_USER}:department`, value: null }, { op: 'replace', path: 'externalId', value: '' }))
        .expect(200);
      assert.equal(res.body[ENTERPRISE_USER], undefined);
      assert.equal(res.body.externalId, undefined);
    });

    it('reads Entra\'s "False" as false', async () => {
      const user = await create();
      const res = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
      assert.equal(res.body.active, false);
    });

    const refusals: [string, Record<string, unknown>, string][] = [
      ['remove without a path', patchOp({ op: 'remove' }), 'noTarget'],
      ['a change to id', patchOp({ op: 'replace', path: 'id', value: 'x' }), 'mutability'],
      ['a body without the PatchOp schema', { Operations: [{ op: 'replace', path: 'active', value: false }] }, 'invalidSyntax'],
    ];
    for (const [name, body, scimType] of refusals) {
      it(`refuses ${name} with 400 ${scimType}`, async () => {
        const user = await create();
        const res = await t.scim('patch', `/Users/${user.id}`).send(body).expect(400);
        assert.equal(res.body.scimType, scimType);
      });
    }

    it('is atomic: when one operation fails, none is applied', async () => {
      const user = await create();
      await t
        .scim('patch', `/Users/${user.id}`)
        .send(patchOp({ op: 'replace', path: 'name.givenName', value: 'Changed' }, { op: 'replace', path: 'phoneNumbers[type eq "pager"].value', value: '1' }))
        .expect(400);
      await t
        .scim('patch', `/Users/${user.id}`)
        .send(patchOp({ op: 'replace', path: 'name.givenName', value: 'Changed' }, { op: 'remove', path: 'userName' }))
        .expect(400);
      const after = await t.scim('get', `/Users/${user.id}`).expect(200);
      assert.equal(after.body.name.givenName, 'Grace');
      assert.equal(after.body.meta.version, user.meta.version);
    });
  });

  describe('DELETE /Users/:id (§3.6)', () => {
    it('answers 204, then 404 for GET and DELETE', async () => {
      const user = await create();
      await t.scim('delete', `/Users/${user.id}`).expect(204);
      await t.scim('get', `/Users/${user.id}`).expect(404);
      await t.scim('delete', `/Users/${user.id}`).expect(404);
    });
  });

  describe('ETags (§3.14)', () => {
    it('sends ETag = meta.version and answers a matching If-None-Match with 304', async () => {
      const user = await create();
      const res = await t.scim('get', `/Users/${user.id}`).expect(200);
      assert.equal(res.headers.etag, res.body.meta.version);
      await t.scim('get', `/Users/${user.id}`).set('if-none-match', res.headers.etag ?? '').expect(304);
      await t.scim('get', `/Users/${user.id}`).set('if-none-match', (res.headers.etag ?? '').replace('W/', '')).expect(304);
      await t.scim('get', `/Users/${user.id}`).set('if-none-match', 'W/"999"').expect(200);
    });

    it('answers a stale If-Match with 412 on PUT, PATCH and DELETE, and accepts the current one', async () => {
      const user = await create();
      const stale = user.meta.version as string;
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'name.givenName', value: 'V2' })).expect(200);
      for (const send of [
        () => t.scim('put', `/Users/${user.id}`).send(user),
        () => t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'active', value: false })),
        () => t.scim('delete', `/Users/${user.id}`),
      ]) {
        const res = await send().set('if-match', stale).expect(412);
        assert.equal(res.body.status, '412');
        assert.match(res.headers['content-type'] ?? '', new RegExp(SCIM_JSON.replace('+', '\\+')));
      }
      const current = (await t.scim('get', `/Users/${user.id}`).expect(200)).headers.etag ?? '';
      await t.scim('patch', `/Users/${user.id}`).set('if-match', current).send(patchOp({ op: 'replace', path: 'name.givenName', value: 'V3' })).expect(200);
    });
  });
});
