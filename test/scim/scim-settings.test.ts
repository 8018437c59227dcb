// The SP side around SCIM: the settings admin API, rate limits, the outbox page, and the
// JumpCloud attribute mapping as the SP directory stores it.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { admin, patchOp, rcUser, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe('SCIM settings, rate limits and outbox', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  let n = 0;
  const email = (): string => `set${++n}@acme.test`;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    t = await scimTarget(server, { rules: { activationEmail: false } });
  });
  after(() => server.close());

  describe('PATCH /sp/api/accounts/:id/scim', () => {
    it('merges rule switches and replaces the extension pools', async () => {
      const res = await admin(server, 'patch', `/sp/api/accounts/${t.accountId}/scim`)
        .send({ rules: { addressRequired: false }, extensions: [{ country: 'fr', available: 3 }], digitalLines: 7, rateLimits: true })
        .expect(200);
      assert.equal(res.body.rules.addressRequired, false);
      assert.equal(res.body.rules.namesRequired, true);
      assert.deepEqual(res.body.extensions, [{ country: 'FR', available: 3 }]);
      assert.equal(res.body.digitalLines, 7);
      assert.equal(res.body.rateLimits, true);
    });

    const invalid: [string, Record<string, unknown>, RegExp][] = [
      ['an unknown rule', { rules: { noSuchRule: true } }, /noSuchRule|unrecognized/i],
      ['a country that is not ISO 3166-1 alpha-2', { extensions: [{ country: 'France', available: 1 }] }, /alpha-2/],
      ['the same country twice', { extensions: [{ country: 'US', available: 1 }, { country: 'us', available: 2 }] }, /one entry per country/],
      ['negative DigitalLines', { digitalLines: -1 }, /digitalLines/],
    ];
    for (const [name, body, message] of invalid) {
      it(`refuses ${name}`, async () => {
        const res = await admin(server, 'patch', `/sp/api/accounts/${t.accountId}/scim`).send(body).expect(400);
        assert.equal(res.body.error, 'INPUT_INVALID');
        assert.match(res.body.message, message);
      });
    }

    it('answers 404 for an unknown account', async () => {
      await admin(server, 'patch', '/sp/api/accounts/nope/scim').send({ digitalLines: 1 }).expect(404);
    });
  });

  describe('rate limits', () => {
    it('on: the 11th heavy request in 60 s gets 429 with Retry-After; the window slides on the SP clock', async () => {
      await t.setScim({ rateLimits: true });
      const clock = server.app.harness.sp.clock;
      clock.freeze();
      try {
        for (let i = 0; i < 10; i++) await t.scim('post', '/Users').send(rcUser(email())).expect(201);
        const res = await t.scim('post', '/Users').send(rcUser(email())).expect(429);
        assert.equal(res.headers['retry-after'], '60');
        assert.equal(res.body.status, '429');
        assert.match(res.body.detail, /heavy group allows 10 requests per 60 s/);
        await t.scim('get', '/Users').expect(200);
        clock.advance(30_000);
        assert.equal((await t.scim('delete', '/Users/x').expect(429)).headers['retry-after'], '30');
        clock.advance(30_000);
        await t.scim('post', '/Users').send(rcUser(email())).expect(201);
      } finally {
        clock.unfreeze();
      }
    });

    it('on: the 51st light request in 60 s gets 429; discovery is not throttled', async () => {
      await t.setScim({ rateLimits: true });
      const clock = server.app.harness.sp.clock;
      clock.freeze();
      try {
        for (let i = 0; i < 50; i++) await t.scim('get', '/Users?count=1').expect(200);
        await t.scim('get', '/Users?count=1').expect(429);
        await t.scim('get', '/ServiceProviderConfig').expect(200);
      } finally {
        clock.unfreeze();
      }
    });

    it('off: no request is throttled', async () => {
      for (let i = 0; i < 12; i++) await t.scim('post', '/Users').send(rcUser(email())).expect(201);
    });
  });

  describe('outbox page', () => {
    it('shows the activation emails, escaped', async () => {
      await t.rules({ activationEmail: true });
      await t.scim('post', '/Users').send(rcUser(email(), { name: { givenName: '<b>Eve</b>', familyName: 'X' } })).expect(201);
      // The page shows activation links: it needs an admin session.
      await request(server.server).get(`/sp/accounts/${t.accountId}/outbox`).set('accept', 'text/html').expect(303);
      const login = await request(server.server).post('/admin/login').type('form').send({ token: ADMIN_TOKEN, next: '/' }).expect(303);
      const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      const page = await request(server.server).get(`/sp/accounts/${t.accountId}/outbox`).set('cookie', cookie).expect(200);
      assert.match(page.text, /Activate your Acme SCIM account/);
      assert.match(page.text, /&#60;b&#62;Eve/);
      assert.doesNotMatch(page.text, /<b>Eve/);
      assert.match(page.text, /href="http:\/\/127\.0\.0\.1:\d+\/sp\/activate\//);
    });

    it('answers an unknown activation link with 404', async () => {
      const res = await request(server.server).get('/sp/activate/not-a-token').set('accept', 'application/json').expect(404);
      assert.equal(res.body.error, 'SP_ACTIVATION_LINK');
    });
  });

  describe('the JumpCloud attribute mapping', () => {
    it('stores emails, userName, names, addresses, phoneNumbers and the enterprise department', async () => {
      const address = email();
      const res = await t
        .scim('post', '/Users')
        .send({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:scim:schemas:extension:enterprise:2.0'],
          userName: address,
          name: { givenName: 'Katherine', familyName: 'Johnson' },
          emails: [{ value: 'home@example.test', type: 'home' }, { value: address, type: 'work' }],
          addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Hampton', region: 'VA', postalCode: '23681', country: 'US' }],
          phoneNumbers: [{ type: 'work', value: '+17575550100' }],
          'urn:scim:schemas:extension:enterprise:2.0': { department: 'Flight Research' },
        })
        .expect(201);
      const user = (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/users/${res.body.id}`).expect(200)).body;
      assert.equal(user.email, address);
      assert.equal(user.firstName, 'Katherine');
      assert.equal(user.lastName, 'Johnson');
      assert.deepEqual(user.addresses, [{ type: 'work', streetAddress: '1 Main St', locality: 'Hampton', region: 'VA', postalCode: '23681', country: 'US' }]);
      assert.deepEqual(user.phoneNumbers, [{ type: 'work', value: '+17575550100' }]);
      assert.equal(user.department, 'Flight Research');
      assert.equal(user.createdVia, 'scim');
      const patched = await t
        .scim('patch', `/Users/${res.body.id}`)
        .send(patchOp({ op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Analysis' }))
        .expect(200);
      assert.equal(patched.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department, 'Analysis');
    });
  });
});
