// Each application provisions in its own flavour: in one harness (JumpCloud by default), the demo
// RingCentral application keeps JumpCloud's call sequence while an Okta-flavoured RingCentral
// application uses Okta's (its User-Agent, its paged filter GET, never DELETE). The Okta one's
// user is assigned to it directly, in no group, and is provisioned like a group member.
import assert from 'node:assert/strict';
import { DEMO_APP_ID, DEMO_GROUP, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { USER_AGENTS } from '../../src/provisioning/flavors.js';
import { activateFromOutbox, authorizeAtSp, idle, spUser } from '../provisioning/idm-walk.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

const OKTA_APP = 'rc-okta';

interface LoggedJob {
  action: string;
  status: string;
  exchanges: { request: { method: string; url: string; headers: Record<string, string> } }[];
}

describe('provisioning in each application\'s own flavour', () => {
  let server: RunningHarness;
  let danaId: string;
  let erinId: string;

  const jobsOf = async (app: string, user: string) => (await admin(server, 'get', `/idp/api/apps/${app}/idm/jobs?user=${encodeURIComponent(user)}`).expect(200)).body as LoggedJob[];
  const requests = (jobs: LoggedJob[]) => jobs.flatMap((j) => j.exchanges.map((x) => x.request));
  const calls = (jobs: LoggedJob[]) => requests(jobs).map((r) => `${r.method} ${new URL(r.url).pathname.replace(/\/Users\/.+$/, '/Users/:id')}`);
  const newUser = async (email: string, first: string) =>
    (
      await admin(server, 'post', '/idp/api/users')
        .send({ email, firstName: first, lastName: 'Tester', number: '+16505550110', department: 'Ops', password: `${first.toLowerCase()}-password-1`, addresses: [{ type: 'work', locality: 'Belmont', region: 'CA', country: 'US' }] })
        .expect(201)
    ).body.id as string;
  const verify = async (app: string, flavor: string) => {
    const { authorizeUrl, state } = (await admin(server, 'post', `/idp/api/apps/${app}/idm/configure`).send({}).expect(200)).body;
    assert.equal(state.flavor, flavor, `${app} configures in its own flavour`);
    assert.match((await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1')).text, /Identity Management integration successfully verified/);
  };

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', id: OKTA_APP, displayLabel: 'RingCentral (Okta)', flavor: 'okta', mydomain: new URL(server.url).host }).expect(201);
    await verify(DEMO_APP_ID, 'jumpcloud');
    await verify(OKTA_APP, 'okta');
    await idle(server);
  });
  after(() => server.close());

  it('creates a directly assigned user with Okta\'s calls, and a group member of the other application with JumpCloud\'s', async () => {
    danaId = await newUser('dana@acme.test', 'Dana');
    erinId = await newUser('erin@acme.test', 'Erin');
    await admin(server, 'put', `/idp/api/apps/${OKTA_APP}/users/${danaId}`).expect(200);
    const group = ((await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[]).find((g) => g.name === DEMO_GROUP);
    await admin(server, 'put', `/idp/api/groups/${group?.id}/members/${erinId}`).expect(200);
    await idle(server);

    assert.equal((await spUser(server, 'dana@acme.test'))?.status, 'pending');
    assert.equal((await spUser(server, 'erin@acme.test'))?.status, 'pending');
    const dana = await jobsOf(OKTA_APP, danaId);
    assert.deepEqual(calls(dana), ['GET /scim/v2/Users', 'POST /scim/v2/Users']);
    assert.match(requests(dana)[0]?.url ?? '', /filter=userName%20eq%20%22dana%40acme.test%22&startIndex=1&count=100$/);
    assert.ok(requests(dana).every((r) => r.headers['user-agent'] === USER_AGENTS.okta));
    const erin = await jobsOf(DEMO_APP_ID, erinId);
    assert.deepEqual(calls(erin), ['GET /scim/v2/Users', 'POST /scim/v2/Users']);
    assert.ok(requests(erin).every((r) => r.headers['user-agent'] === USER_AGENTS.jumpcloud));
    assert.deepEqual(await jobsOf(DEMO_APP_ID, danaId), [], 'dana is assigned to the Okta application only');
  });

  it('deletes the JumpCloud application\'s user and only deactivates the Okta application\'s, as each vendor does', async () => {
    await activateFromOutbox(server, 'dana@acme.test', 'dana-rc-password-1');
    await activateFromOutbox(server, 'erin@acme.test', 'erin-rc-password-1');
    await admin(server, 'delete', `/idp/api/users/${danaId}`).expect(204);
    await admin(server, 'delete', `/idp/api/users/${erinId}`).expect(204);
    await idle(server);

    assert.equal((await spUser(server, 'dana@acme.test'))?.status, 'inactive');
    assert.equal(await spUser(server, 'erin@acme.test'), undefined);
    const dana = await jobsOf(OKTA_APP, danaId);
    assert.deepEqual([dana.at(-1)?.action, dana.at(-1)?.status], ['deactivate', 'succeeded']);
    assert.ok(!calls(dana).some((c) => c.startsWith('DELETE')), 'the Okta client never sends DELETE');
    const erin = await jobsOf(DEMO_APP_ID, erinId);
    assert.deepEqual([erin.at(-1)?.action, erin.at(-1)?.status], ['delete', 'succeeded']);
    assert.ok(calls(erin.slice(-1)).includes('DELETE /scim/v2/Users/:id'));
  });

  it('follows an application whose flavour changes after Identity Management was verified', async () => {
    const fay = await newUser('fay@acme.test', 'Fay');
    await admin(server, 'patch', `/idp/api/apps/${OKTA_APP}`).send({ flavor: 'jumpcloud' }).expect(200);
    assert.equal((await admin(server, 'get', `/idp/api/apps/${OKTA_APP}/idm`).expect(200)).body.flavor, 'jumpcloud');
    await admin(server, 'put', `/idp/api/apps/${OKTA_APP}/users/${fay}`).expect(200);
    await idle(server);
    const jobs = await jobsOf(OKTA_APP, fay);
    assert.equal(jobs.length, 1);
    assert.ok(requests(jobs).every((r) => r.headers['user-agent'] === USER_AGENTS.jumpcloud));
  });
});
