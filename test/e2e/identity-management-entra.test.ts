// The Entra ID flavour end to end against the harness's SP: the SP imports the application's
// federation metadata by URL and maps the email to Entra's emailaddress claim; Microsoft's
// provisioning precondition (Directory Provider = SCIM at RingCentral); then Entra's call sequence
// as the job log records it: filter GET by userName then externalId, its POST body, GET then PATCH of what changed with
// capitalised ops and URN or value-filter paths, PATCH active "False" to disable, and on deletion
// the disable then the DELETE. Each step is checked in the SP directory too, and a provisioned
// user signs in SP-initiated through the tenant's saml2 endpoint.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_ACCOUNT, DEMO_APP_ID, DEMO_GROUP, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { USER_AGENTS } from '../../src/provisioning/flavors.js';
import { activateFromOutbox, authorizeAtSp, idle, spUser } from '../provisioning/idm-walk.js';
import { CLAIM } from '../../src/saml/urn.js';
import { ADMIN_TOKEN, admin, autoPostFields, startTestServer } from '../support/harness.js';

const IDM = `/idp/api/apps/${DEMO_APP_ID}/idm`;
const ACCOUNT = `/sp/api/accounts/${DEMO_ACCOUNT.id}`;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; body?: unknown };
}
interface LoggedJob {
  action: string;
  status: string;
  note?: string;
  error?: { status?: number; detail?: string };
  exchanges: Exchange[];
}

describe('Identity Management (Entra ID flavour), as Microsoft documents it', () => {
  let server: RunningHarness;
  let groupId: string;
  let olgaId: string;

  const jobsOf = async (user: string) => (await admin(server, 'get', `${IDM}/jobs?user=${encodeURIComponent(user)}`).expect(200)).body as LoggedJob[];
  const calls = (jobs: LoggedJob[]) => jobs.flatMap((j) => j.exchanges.map((x) => `${x.request.method} ${new URL(x.request.url).pathname.replace(/\/Users\/.+$/, '/Users/:id')}`));
  const lastJob = async (user: string): Promise<LoggedJob> => {
    const job = (await jobsOf(user)).at(-1);
    assert.ok(job, `a job for ${user}`);
    return job;
  };
  const idpUserId = async (email: string): Promise<string> =>
    ((await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[]).find((u) => u.email === email)?.id ?? '';

  before(async () => {
    server = await startTestServer({ idpFlavor: 'entra' });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    const groups = (await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[];
    groupId = groups.find((g) => g.name === DEMO_GROUP)?.id ?? '';
  });
  after(() => server.close());

  it('the SP imports the federation metadata by URL and takes the email from the emailaddress claim', async () => {
    const app = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body as { idpEntityId: string; metadataUrl: string };
    assert.match(app.idpEntityId, /^https:\/\/sts\.windows\.net\/[0-9a-f-]{36}\/$/);
    assert.match(app.metadataUrl, /\/federationmetadata\/2007-06\/federationmetadata\.xml\?appid=[0-9a-f-]{36}$/);
    const imported = await admin(server, 'post', `${ACCOUNT}/sso/idp-metadata`).send({ url: app.metadataUrl }).expect(200);
    assert.equal(imported.body.parsed.entityId, app.idpEntityId);
    assert.ok(imported.body.parsed.attributes.includes(CLAIM.emailAddress), imported.body.parsed.attributes.join(', '));
    await admin(server, 'patch', `${ACCOUNT}/sso`).send({ emailMapping: { kind: 'attribute', name: CLAIM.emailAddress } }).expect(200);
  });

  it("fails verification while the SP account's Directory Provider is not SCIM, naming the setting", async () => {
    assert.equal((await admin(server, 'get', `${ACCOUNT}/scim`).expect(200)).body.directoryProvider, 'none');
    const { authorizeUrl } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
    await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
    const state = (await admin(server, 'get', IDM).expect(200)).body;
    assert.equal(state.status, 'failed');
    assert.match(JSON.stringify(state.error), /Directory Provider is SCIM.*directoryProvider/);
  });

  it('verifies once Directory Provider is SCIM, and matches an existing SP user by userName, then PATCHes what differs', async () => {
    await admin(server, 'patch', `${ACCOUNT}/scim`).send({ directoryProvider: 'scim' }).expect(200);
    const { authorizeUrl, state } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
    assert.equal(state.flavor, 'entra');
    const outcome = await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
    assert.match(outcome.text, /Identity Management integration successfully verified/);
    await idle(server);
    const [job] = await jobsOf('ann@acme.test');
    assert.equal(job?.exchanges[0]?.request.url, `${server.url}/scim/v2/Users?filter=userName+eq+%22ann%40acme.test%22`);
    assert.deepEqual(calls([job!]), ['GET /scim/v2/Users', 'GET /scim/v2/Users/:id', 'PATCH /scim/v2/Users/:id']);
    const patch = job!.exchanges[2]!.request.body as { Operations: { op: string; path: string; value: string }[] };
    assert.deepEqual(patch.Operations.find((o) => o.path === 'externalId'), { op: 'Add', path: 'externalId', value: await idpUserId('ann@acme.test') });
    assert.ok(patch.Operations.every((o) => o.op === 'Add' || o.op === 'Replace'));
    assert.equal(((await spUser(server, 'ann@acme.test')) as { externalId?: string } | undefined)?.externalId, await idpUserId('ann@acme.test'));
  });

  it("creates a user after both lookups miss, with Entra's POST body and User-Agent", async () => {
    olgaId = (
      await admin(server, 'post', '/idp/api/users')
        .send({
          email: 'olga@acme.test', firstName: 'Olga', lastName: 'Entra', number: '+16505550105', department: 'Ops', password: 'olga-password-1',
          addresses: [{ type: 'work', locality: 'London', country: 'GB' }],
        })
        .expect(201)
    ).body.id;
    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${olgaId}`).expect(200);
    await idle(server);
    const [job] = await jobsOf(olgaId);
    assert.deepEqual(calls([job!]), ['GET /scim/v2/Users', 'GET /scim/v2/Users', 'POST /scim/v2/Users']);
    assert.equal(job!.exchanges[1]!.request.url, `${server.url}/scim/v2/Users?filter=externalId+eq+%22${olgaId}%22`);
    const body = job!.exchanges[2]!.request.body as Record<string, unknown>;
    assert.deepEqual(body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
    assert.deepEqual(
      [body.externalId, body.userName, body.active, body.emails, body.meta, body.name, body.roles],
      [olgaId, 'olga@acme.test', true, [{ primary: true, type: 'work', value: 'olga@acme.test' }], { resourceType: 'User' }, { formatted: 'Olga Entra', familyName: 'Entra', givenName: 'Olga' }, []],
    );
    assert.deepEqual(body[ENTERPRISE], { department: 'Ops' });
    assert.ok(job!.exchanges.every((x) => x.request.headers['user-agent'] === USER_AGENTS.entra));
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'pending');
    await activateFromOutbox(server, 'olga@acme.test');
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'active');
  });

  it('the provisioned user signs in SP-initiated through the tenant\'s saml2 endpoint', async () => {
    const app = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body as { ssoUrl: string };
    const pathOf = (url: string): string => new URL(url, server.url).pathname + new URL(url, server.url).search;
    const agent = request.agent(server.server);
    const start = await agent.get('/sp/login?email=olga%40acme.test').expect(302);
    assert.ok(String(start.headers.location).startsWith(`${app.ssoUrl}?SAMLRequest=`), start.headers.location);
    const sso = await agent.get(pathOf(String(start.headers.location))).expect(303);
    const pending = new URL(String(sso.headers.location), server.url).searchParams.get('pending');
    const login = await agent.post('/idp/login').type('form').send({ login: 'olga@acme.test', password: 'olga-password-1', pending }).expect(200);
    const form = autoPostFields(login.text);
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
    assert.match(xml, /<saml:Attribute Name="http:\/\/schemas\.xmlsoap\.org\/ws\/2005\/05\/identity\/claims\/emailaddress">/);
    const acs = await agent.post(pathOf(form.action)).type('form').send({ SAMLResponse: form.SAMLResponse, ...(form.RelayState && { RelayState: form.RelayState }) });
    assert.equal(acs.status, 303, acs.text.slice(0, 300));
    assert.match((await agent.get('/sp/home').expect(200)).text, /olga@acme\.test/);
  });

  it('updates with GET then a PATCH of only the changed attributes, "Replace" with Entra\'s paths', async () => {
    await admin(server, 'patch', `/idp/api/users/${olgaId}`).send({ firstName: 'Olga-Marie', department: 'Finance' }).expect(200);
    await idle(server);
    const job = await lastJob(olgaId);
    assert.deepEqual(calls([job]), ['GET /scim/v2/Users/:id', 'PATCH /scim/v2/Users/:id']);
    assert.deepEqual(job.exchanges[1]!.request.body, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'name.givenName', value: 'Olga-Marie' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Finance' },
      ],
    });
    const sp = await spUser(server, 'olga@acme.test');
    assert.deepEqual([sp?.firstName, sp?.department], ['Olga-Marie', 'Finance']);
  });

  it('disables a user removed from the bound group with PATCH active "False", and enables it again with "True"', async () => {
    await admin(server, 'delete', `/idp/api/groups/${groupId}/members/${olgaId}`).expect(200);
    await idle(server);
    const disabled = await lastJob(olgaId);
    assert.equal(disabled.action, 'deactivate');
    assert.deepEqual(disabled.exchanges.map((x) => x.request.body), [{ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }]);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'inactive');

    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${olgaId}`).expect(200);
    await idle(server);
    const enabled = await lastJob(olgaId);
    assert.equal(enabled.action, 'reactivate');
    assert.deepEqual(enabled.exchanges[0]?.request.body, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'active');
  });

  it("disables then deletes a deleted IdP user; RingCentral's reactivateBeforeDelete rule refuses the DELETE, naming the rule", async () => {
    const bobId = await idpUserId('bob@acme.test');
    await admin(server, 'delete', `/idp/api/users/${bobId}`).expect(204);
    await idle(server);
    const job = await lastJob(bobId);
    assert.deepEqual([job.action, job.status, calls([job])], ['delete', 'failed', ['PATCH /scim/v2/Users/:id', 'DELETE /scim/v2/Users/:id']]);
    assert.equal(job.error?.status, 409);
    assert.match(job.error?.detail ?? '', /switch off rule reactivateBeforeDelete/);
    assert.equal((await spUser(server, 'bob@acme.test'))?.status, 'inactive');
  });

  it('with that rule off, the soft delete then the hard delete remove the SP user', async () => {
    await admin(server, 'patch', `${ACCOUNT}/scim`).send({ rules: { reactivateBeforeDelete: false } }).expect(200);
    await admin(server, 'delete', `/idp/api/users/${olgaId}`).expect(204);
    await idle(server);
    const job = await lastJob(olgaId);
    assert.deepEqual([job.action, job.status], ['delete', 'succeeded']);
    assert.deepEqual(calls([job]), ['PATCH /scim/v2/Users/:id', 'DELETE /scim/v2/Users/:id']);
    assert.deepEqual(job.exchanges[0]?.request.body, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    assert.match(job.note ?? '', /soft delete, then its hard delete/);
    assert.equal(await spUser(server, 'olga@acme.test'), undefined);
  });
});
