// RFC 7644 rows of reference/scim-conformance.md for reads: filters, pagination, projection,
// .search, discovery and the media type, against /scim/v2 over HTTP.
import assert from 'node:assert/strict';
import type { RunningHarness } from '../../src/harness/server.js';
import { CORE_USER, ENTERPRISE_USER, LIST_RESPONSE, rcUser, scimTarget, startTestServer, type ScimTarget } from './support.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe('SCIM reads (RFC 7644)', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  const list = async (query: string) => (await t.scim('get', `/Users?${query}`).expect(200)).body;
  const names = (body: { Resources?: { userName: string }[] }): string[] => (body.Resources ?? []).map((r) => r.userName).sort();

  before(async () => {
    server = await startTestServer();
    t = await scimTarget(server, { rules: { activationEmail: false } });
    // 12 SCIM users (Entra's pagination check wants at least 11), plus the account's admin.
    for (let i = 1; i <= 12; i++) {
      const dept = i % 2 === 0 ? 'Sales' : 'Engineering';
      await t
        .scim('post', '/Users')
        .send(rcUser(`u${String(i).padStart(2, '0')}@acme.test`, { externalId: `EXT-${i}`, [ENTERPRISE_USER]: { department: dept }, active: i !== 3 }))
        .expect(201);
    }
  });
  after(() => server.close());

  describe('filter (§3.4.2.2)', () => {
    const cases: [string, string[]][] = [
      ['userName eq "u01@acme.test"', ['u01@acme.test']],
      ['UserName EQ "U01@ACME.TEST"', ['u01@acme.test']],
      ['email eq "u02@acme.test"', ['u02@acme.test']],
      ['emails[type eq "work" and value sw "u1"]', ['u10@acme.test', 'u11@acme.test', 'u12@acme.test']],
      ['userName co "u1" and not (userName ew "0@acme.test")', ['u11@acme.test', 'u12@acme.test']],
      ['(userName eq "u01@acme.test" or userName eq "u02@acme.test") and active eq true', ['u01@acme.test', 'u02@acme.test']],
      ['active eq false', ['u03@acme.test']],
      ['externalId eq "EXT-4"', ['u04@acme.test']],
      ['externalId eq "ext-4"', []],
      [`${CORE_USER}:userName eq "u05@acme.test"`, ['u05@acme.test']],
      [`${ENTERPRISE_USER}:department eq "sales" and userName lt "u05"`, ['u02@acme.test', 'u04@acme.test']],
      ['meta.created gt "2000-01-01T00:00:00Z" and userName sw "u12"', ['u12@acme.test']],
      // Equalities answered from the directory's indexes, with the rest of the filter still applied.
      ['userName eq "u03@acme.test" and active eq true', []],
      ['active eq false and userName eq "U03@acme.test"', ['u03@acme.test']],
      ['emails eq "U04@ACME.test" and active eq true', ['u04@acme.test']],
      ['emails.value eq "u05@acme.test"', ['u05@acme.test']],
      ['userName eq "nobody@acme.test"', []],
    ];
    for (const [filter, expected] of cases) {
      it(`${filter} → ${expected.join(', ') || 'none'}`, async () => {
        const body = await list(`filter=${encodeURIComponent(filter)}`);
        assert.deepEqual(body.schemas, [LIST_RESPONSE]);
        assert.deepEqual(names(body), expected);
        assert.equal(body.totalResults, expected.length);
      });
    }

    it('answers an unknown attribute with 400 invalidFilter naming it', async () => {
      const res = await t.scim('get', `/Users?filter=${encodeURIComponent('title eq "x"')}`).expect(400);
      assert.equal(res.body.scimType, 'invalidFilter');
      assert.match(res.body.detail, /"title"/);
    });
  });

  describe('pagination (§3.4.2.4)', () => {
    it('pages 5 at a time with startIndex = page*5+1 (Entra User_Pagination)', async () => {
      const seen: string[] = [];
      for (const [startIndex, items] of [
        [1, 5],
        [6, 5],
        [11, 3],
      ] as const) {
        const body = await list(`startIndex=${startIndex}&count=5`);
        assert.equal(body.totalResults, 13);
        assert.equal(body.startIndex, startIndex);
        assert.equal(body.itemsPerPage, items);
        seen.push(...body.Resources.map((r: { id: string }) => r.id));
      }
      assert.equal(new Set(seen).size, 13);
    });

    const cases: [string, number, number, boolean][] = [
      ['startIndex=0&count=2', 1, 2, true],
      ['startIndex=-4&count=2', 1, 2, true],
      ['count=0', 1, 0, false],
      ['count=-3', 1, 0, false],
      ['startIndex=50', 50, 0, true],
    ];
    for (const [query, startIndex, itemsPerPage, hasResources] of cases) {
      it(`${query} → startIndex ${startIndex}, ${itemsPerPage} items${hasResources ? '' : ', totalResults only'}`, async () => {
        const body = await list(query);
        assert.equal(body.startIndex, startIndex);
        assert.equal(body.itemsPerPage, itemsPerPage);
        assert.equal(body.totalResults, 13);
        assert.equal('Resources' in body, hasResources);
      });
    }

    it('answers a count that is not a number with 400 invalidValue', async () => {
      const res = await t.scim('get', '/Users?count=ten').expect(400);
      assert.equal(res.body.scimType, 'invalidValue');
    });
  });

  describe('projection (§3.4.2.5)', () => {
    it('returns only the asked attributes, and id always', async () => {
      const body = await list(`filter=${encodeURIComponent('userName eq "u01@acme.test"')}&attributes=userName,name.givenName`);
      const user = body.Resources[0];
      assert.deepEqual(Object.keys(user).sort(), ['id', 'name', 'schemas', 'userName']);
      assert.deepEqual(user.name, { givenName: 'Grace' });
    });

    it('leaves out excluded attributes but never id', async () => {
      const body = await list(`count=1&excludedAttributes=emails,meta,id,${ENTERPRISE_USER}:department`);
      const user = body.Resources[0];
      assert.ok(user.id);
      assert.equal(user.emails, undefined);
      assert.equal(user.meta, undefined);
      assert.equal(user[ENTERPRISE_USER]?.department, undefined);
      assert.ok(user.userName);
    });

    it('applies to GET by id', async () => {
      const { Resources } = await list('count=1');
      const res = await t.scim('get', `/Users/${Resources[0].id}?attributes=active`).expect(200);
      assert.deepEqual(Object.keys(res.body).sort(), ['active', 'id', 'schemas']);
    });
  });

  describe('POST /Users/.search (§3.4.3)', () => {
    it('searches with a SearchRequest body', async () => {
      const res = await t
        .scim('post', '/Users/.search')
        .send({ schemas: [SEARCH], filter: 'userName sw "u0"', startIndex: 2, count: 3, attributes: ['userName'] })
        .expect(200);
      assert.equal(res.body.totalResults, 9);
      assert.equal(res.body.itemsPerPage, 3);
      assert.deepEqual(Object.keys(res.body.Resources[0]).sort(), ['id', 'schemas', 'userName']);
    });

    it('refuses a body without the SearchRequest schema with 400 invalidSyntax', async () => {
      const res = await t.scim('post', '/Users/.search').send({ filter: 'userName pr' }).expect(400);
      assert.equal(res.body.scimType, 'invalidSyntax');
    });
  });

  describe('discovery (§4)', () => {
    it('GET /ServiceProviderConfig advertises patch, filter, etag and the bearer scheme', async () => {
      const res = await t.scim('get', '/ServiceProviderConfig').expect(200);
      assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
      assert.equal(res.body.patch.supported, true);
      assert.equal(res.body.filter.supported, true);
      assert.equal(res.body.etag.supported, true);
      assert.equal(res.body.bulk.supported, false);
      assert.equal(res.body.authenticationSchemes[0].type, 'oauthbearertoken');
    });

    it('GET /ResourceTypes lists User with the enterprise extension', async () => {
      const res = await t.scim('get', '/ResourceTypes').expect(200);
      assert.equal(res.body.totalResults, 1);
      const user = res.body.Resources[0];
      assert.equal(user.endpoint, '/Users');
      assert.equal(user.schema, CORE_USER);
      assert.deepEqual(user.schemaExtensions, [{ schema: ENTERPRISE_USER, required: false }]);
      await t.scim('get', '/ResourceTypes/User').expect(200);
      await t.scim('get', '/ResourceTypes/Group').expect(404);
    });

    it("GET /Schemas lists the core User and the enterprise extension's department", async () => {
      const res = await t.scim('get', '/Schemas').expect(200);
      assert.deepEqual(res.body.Resources.map((s: { id: string }) => s.id), [CORE_USER, ENTERPRISE_USER]);
      const enterprise = (await t.scim('get', `/Schemas/${ENTERPRISE_USER}`).expect(200)).body;
      assert.deepEqual(enterprise.attributes.map((a: { name: string }) => a.name), ['department']);
      const core = (await t.scim('get', `/Schemas/${CORE_USER}`).expect(200)).body;
      const userName = core.attributes.find((a: { name: string }) => a.name === 'userName');
      assert.equal(userName.uniqueness, 'server');
      assert.equal(userName.caseExact, false);
      await t.scim('get', '/Schemas/urn:example:unknown').expect(404);
    });
  });

  describe('media type (§8.1)', () => {
    it('answers in application/scim+json and accepts application/json', async () => {
      const res = await t.scim('post', '/Users').type('application/json').send(rcUser('json@acme.test')).expect(201);
      assert.match(res.headers['content-type'] ?? '', /^application\/scim\+json; charset=utf-8$/);
      const listed = await t.scim('get', '/Users?count=1').expect(200);
      assert.match(listed.headers['content-type'] ?? '', /^application\/scim\+json/);
      await t.scim('delete', `/Users/${res.body.id}`).expect(204);
    });
  });
});
