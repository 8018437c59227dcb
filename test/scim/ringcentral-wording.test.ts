// The RingCentral rule refusals read like RingCentral's own SCIM errors: `status` a string,
// scimType invalidValue, and a detail that starts "Parameter [<RingCentral field>] value is
// invalid." (a real capture: docs/scim.md), then says what to change.
import assert from 'node:assert/strict';
import type { RunningHarness } from '../../src/harness/server.js';
import { ERROR_SCHEMA, patchOp, rcUser, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe("SCIM rule errors in RingCentral's words", () => {
  let server: RunningHarness;
  let t: ScimTarget;
  let n = 0;
  const email = (): string => `wording${++n}@acme.test`;
  const work = (extra: Record<string, unknown>) => ({ type: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US', ...extra });

  before(async () => {
    server = await startTestServer();
    t = await scimTarget(server);
    await t.rules({ activationEmail: false });
  });
  after(() => server.close());

  const cases: [string, () => Record<string, unknown>, string, RegExp][] = [
    ['a state longer than any state name', () => rcUser(email(), { addresses: [work({ region: 'C'.repeat(101) })] }), 'extension.contact.businessAddress.state', /addresses\[0\]\.region/],
    ['an address without a country', () => rcUser(email(), { addresses: [work({ country: undefined })] }), 'extension.contact.businessAddress.country', /switch off rule addressCountryNeedsExtension/],
    ['a country with no unassigned extension', () => rcUser(email(), { addresses: [work({ country: 'FR' })] }), 'extension.contact.businessAddress.country', /no unassigned extension for country FR/],
    ['no address', () => rcUser(email(), { addresses: [] }), 'extension.contact.businessAddress', /switch off rule addressRequired/],
    ['no givenName', () => rcUser(email(), { name: { familyName: 'Hopper' } }), 'extension.contact.firstName', /name\.givenName is required/],
    ['no familyName', () => rcUser(email(), { name: { givenName: 'Grace' } }), 'extension.contact.lastName', /name\.familyName is required/],
    ['a userName that is not the work email', () => ({ ...rcUser(email()), userName: 'grace' }), 'userName', /must be the work email/],
    ['a work email that is not an email address', () => rcUser(email(), { emails: [{ type: 'work', value: 'not-an-email' }] }), 'extension.contact.email', /is not an email address/],
  ];

  for (const [what, body, parameter, explanation] of cases) {
    it(`answers ${what} with "Parameter [${parameter}] value is invalid." and what to change`, async () => {
      const res = await t.scim('post', '/Users').send(body()).expect(400);
      assert.deepEqual(res.body.schemas, [ERROR_SCHEMA]);
      assert.equal(res.body.status, '400');
      assert.equal(res.body.scimType, 'invalidValue');
      assert.ok(res.body.detail.startsWith(`Parameter [${parameter}] value is invalid. `), res.body.detail);
      assert.match(res.body.detail, explanation);
    });
  }

  it('words a PATCH that breaks a rule the same way', async () => {
    const user = (await t.scim('post', '/Users').send(rcUser(email())).expect(201)).body;
    const res = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'Replace', path: 'addresses[type eq "work"].country', value: 'FR' })).expect(400);
    assert.ok(res.body.detail.startsWith('Parameter [extension.contact.businessAddress.country] value is invalid. '), res.body.detail);
  });
});
