// The IdP console's users that RingCentral accepts (address, department, typed phone numbers,
// custom attributes), the application's editable Attributes ("Add any other attributes") and the
// Groups panel's Applications tab, over HTTP: a user made in the console form, bound through the
// Groups panel, is provisioned to the SP with what the seed's mapping table lists.
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { authorizeAtSp, idle, spUser, ssoLogin } from '../provisioning/idm-walk.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const APP_PAGE = `/idp/admin/apps/${DEMO_APP_ID}`;

interface ApiUser {
  id: string;
  email: string;
  number?: string;
  department?: string;
  phoneNumbers?: { type: string; value: string }[];
  addresses: Record<string, string>[];
  customAttributes?: { name: string; value: string }[];
}

describe('IdP console: provisionable users, attributes and the Groups panel', () => {
  let server: RunningHarness;
  let session: ConsoleSession;

  const get = async (path: string) => {
    const html = await session.page(path);
    assertAccessible(html, path);
    return html;
  };
  const apiUser = async (email: string) => ((await admin(server, 'get', '/idp/api/users').expect(200)).body as ApiUser[]).find((u) => u.email === email);
  const erinForm = {
    email: 'erin@acme.test', firstName: 'Erin', lastName: 'Console', password: 'erin-password-1', department: 'Field Sales',
    addressType: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US',
    phoneType1: 'work', phoneNumber1: '+16505550111', phoneType2: 'mobile', phoneNumber2: '+16505550112',
    customName1: 'directNumber', customValue1: '+16505550113',
  };

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());

  it('creates a user with an address, department, typed phone numbers and custom attributes from the form', async () => {
    const html = await get('/idp/admin/users');
    for (const label of ['Street address', 'Country (e.g. US)', 'Department', 'Phone 2 type', 'Custom attribute 1 name']) assert.ok(html.includes(`>${label}</label>`), label);
    const res = await session.post('/idp/admin/users', erinForm).expect(200);
    assert.match(res.text, /Saved erin@acme.test/);
    assert.match(res.text, /<td>Field Sales<br>country US<br>work \+16505550111<br>mobile \+16505550112<br>directNumber: \+16505550113<\/td>/);
    const erin = await apiUser('erin@acme.test');
    assert.deepEqual(erin?.addresses, [{ type: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US' }]);
    assert.equal(erin?.department, 'Field Sales');
    assert.deepEqual(erin?.phoneNumbers, [{ type: 'work', value: '+16505550111' }, { type: 'mobile', value: '+16505550112' }]);
    assert.equal(erin?.number, '+16505550111', 'number stays the work phone');
    assert.deepEqual(erin?.customAttributes, [{ name: 'directNumber', value: '+16505550113' }]);
  });

  it('shows the form again with what was wrong when a custom attribute name or phone number is bad', async () => {
    await get('/idp/admin/users');
    let res = await session.post('/idp/admin/users', { ...erinForm, email: 'frank@acme.test', customName1: 'has space' }).expect(400);
    assert.match(res.text, /<p class="error" role="alert">[^<]*customAttributes[^<]*a letter, then up to 63 letters[^<]*\(INPUT_INVALID\)<\/p>/);
    assert.match(res.text, /<h2>Add a user<\/h2>/);
    await get('/idp/admin/users');
    res = await session.post('/idp/admin/users', { ...erinForm, email: 'frank@acme.test', phoneNumber2: 'call me' }).expect(400);
    assert.match(res.text, /phoneNumbers[^<]*a phone number such as \+16505550100/);
    assert.doesNotMatch(res.text, /at .*\.ts:\d+/, 'no stack trace');
    assert.equal(await apiUser('frank@acme.test'), undefined);
  });

  it('keeps `number` as the work phone in the API, next to the list', async () => {
    const created = (await admin(server, 'post', '/idp/api/users')
      .send({ email: 'gil@acme.test', firstName: 'Gil', lastName: 'Api', password: 'gil-password-1', number: '+16505550121', phoneNumbers: [{ type: 'mobile', value: '+16505550122' }] })
      .expect(201)).body as ApiUser;
    assert.deepEqual(created.phoneNumbers, [{ type: 'work', value: '+16505550121' }, { type: 'mobile', value: '+16505550122' }]);
    const patched = (await admin(server, 'patch', `/idp/api/users/${created.id}`).send({ number: '+16505550129' }).expect(200)).body as ApiUser;
    assert.deepEqual(patched.phoneNumbers, [{ type: 'work', value: '+16505550129' }, { type: 'mobile', value: '+16505550122' }]);
    const mobileOnly = (await admin(server, 'patch', `/idp/api/users/${created.id}`).send({ phoneNumbers: [{ type: 'mobile', value: '+16505550122' }] }).expect(200)).body as ApiUser;
    assert.equal(mobileOnly.number, '+16505550122', 'without a work phone, the first number');
    const dup = await admin(server, 'patch', `/idp/api/users/${created.id}`).send({ customAttributes: [{ name: 'a', value: '1' }, { name: 'A', value: '2' }] }).expect(400);
    assert.match(JSON.stringify(dup.body), /each custom attribute name once/);
  });

  it('edits the attribute statement: number from a custom attribute, a constant added, one removed; the assertion carries them', async () => {
    const bob = await apiUser('bob@acme.test');
    await admin(server, 'patch', `/idp/api/users/${bob?.id}`).send({ customAttributes: [{ name: 'directNumber', value: '+16505550777' }] }).expect(200);
    let html = await get(APP_PAGE);
    assert.match(html, /<label for="attr-source-1">number: source<\/label>/);
    assert.match(html, /<option value="directNumber"><\/option>/, 'the custom attribute names in use are offered');
    let res = await session.post(`${APP_PAGE}/attributes`, {
      rows: '2',
      attrName0: 'email', attrSource0: 'property:email', attrValue0: '',
      attrName1: 'number', attrSource1: 'custom', attrValue1: 'directNumber',
      attrName2: 'costCenter', attrSource2: 'constant', attrValue2: 'CC-7',
    }).expect(200);
    assert.match(res.text, /Saved the attributes: email, number, costCenter/);
    assert.deepEqual((await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.attributes, [
      { name: 'email', property: 'email' },
      { name: 'number', customAttribute: 'directNumber' },
      { name: 'costCenter', constant: 'CC-7' },
    ]);
    const login = await ssoLogin(server, 'bob@acme.test', 'bob-password-1');
    assert.equal(login.ok, true, JSON.stringify(login.error));
    const attributes = login.session?.attributes as Record<string, string[]>;
    assert.deepEqual(attributes.number, ['+16505550777']);
    assert.deepEqual(attributes.costCenter, ['CC-7']);

    html = await get(APP_PAGE);
    assert.match(html, /<button type="submit" name="remove" value="2">Remove costCenter<\/button>/);
    res = await session.post(`${APP_PAGE}/attributes`, {
      rows: '3', remove: '2',
      attrName0: 'email', attrSource0: 'property:email', attrValue0: '',
      attrName1: 'number', attrSource1: 'property:number', attrValue1: '',
      attrName2: 'costCenter', attrSource2: 'constant', attrValue2: 'CC-7',
      attrName3: '', attrSource3: 'property:email', attrValue3: '',
    }).expect(200);
    assert.deepEqual((await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.attributes, [
      { name: 'email', property: 'email' },
      { name: 'number', property: 'number' },
    ]);
  });

  it('refuses an attribute without a name or with an unknown property, and keeps the saved ones', async () => {
    await get(APP_PAGE);
    const res = await session.post(`${APP_PAGE}/attributes`, {
      rows: '2',
      attrName0: 'email', attrSource0: 'property:shoeSize', attrValue0: '',
      attrName1: 'number', attrSource1: 'property:number', attrValue1: '',
    }).expect(400);
    assert.match(res.text, /<p class="error" role="alert">[^<]*attributes[^<]*\(INPUT_INVALID\)<\/p>/);
    assert.match(res.text, /<h2>Attributes<\/h2>/);
    assert.equal((await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.attributes.length, 2);
    const api = await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ attributes: [{ name: 'x', property: 'email', constant: 'y' }] }).expect(400);
    assert.match(JSON.stringify(api.body), /give one source: property, customAttribute or constant/);
  });

  it('authorizes a group for applications from its page and through the API, as the User Groups tab does', async () => {
    let html = await get('/idp/admin/groups');
    let res = await session.post('/idp/admin/groups', { name: 'Field Sales' }).expect(200);
    const groupId = /<a href="\/idp\/admin\/groups\/([^"]+)">Field Sales<\/a>/.exec(res.text)?.[1] ?? '';
    assert.ok(groupId, 'the group name links to its page');
    html = await get(`/idp/admin/groups/${groupId}`);
    assert.match(html, /<h2>Applications<\/h2>/);
    assert.match(html, /<input type="checkbox" id="app-ringcentral" name="app" value="ringcentral"> <label for="app-ringcentral">RingCentral<\/label>/);
    res = await session.post(`/idp/admin/groups/${groupId}/apps`, { app: DEMO_APP_ID }).expect(200);
    assert.match(res.text, /Saved: the group may use RingCentral/);
    assert.match(res.text, /id="app-ringcentral" name="app" value="ringcentral" checked>/);
    assert.ok((await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.groups.includes(groupId));
    assert.match(await get(APP_PAGE), new RegExp(`id="group-${groupId}" name="group" value="${groupId}" checked>`), 'the application\'s User Groups tab shows the binding');

    assert.deepEqual((await admin(server, 'put', `/idp/api/groups/${groupId}/apps`).send({ apps: [] }).expect(200)).body, { apps: [] });
    assert.equal((await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.groups.includes(groupId), false);
    const unknown = await admin(server, 'put', `/idp/api/groups/${groupId}/apps`).send({ apps: ['nope'] }).expect(404);
    assert.equal(unknown.body.error, 'IDP_APP_NOT_FOUND');
    assert.deepEqual((await admin(server, 'put', `/idp/api/groups/${groupId}/apps`).send({ apps: [DEMO_APP_ID] }).expect(200)).body, { apps: [{ id: DEMO_APP_ID, displayLabel: 'RingCentral' }] });
    assert.deepEqual((await admin(server, 'get', `/idp/api/groups/${groupId}/apps`).expect(200)).body.apps.map((a: { id: string }) => a.id), [DEMO_APP_ID]);
    await admin(server, 'put', `/idp/api/groups/${groupId}/apps`).send({ apps: [] }).expect(200);
    await admin(server, 'put', '/idp/api/groups/no-such-group/apps').send({ apps: [] }).expect(404);
    await session.post('/idp/admin/groups/no-such-group/apps', { app: DEMO_APP_ID }).expect(404);
  });

  it('provisions the console-made user, bound through the Groups panel, to the SP with address, phones and department', async () => {
    const { authorizeUrl } = (await admin(server, 'post', `/idp/api/apps/${DEMO_APP_ID}/idm/configure`).send({}).expect(200)).body;
    assert.equal((await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1')).status, 200);
    await idle(server);
    assert.equal(await spUser(server, 'erin@acme.test'), undefined, 'not bound yet');

    const groupsPage = await get('/idp/admin/groups');
    const groupId = /<a href="\/idp\/admin\/groups\/([^"]+)">Field Sales<\/a>/.exec(groupsPage)?.[1] ?? '';
    const erinId = new RegExp(`id="member-${groupId}" name="user">.*?<option value="([^"]+)">erin@acme.test</option>`).exec(groupsPage)?.[1] ?? '';
    await session.post(`/idp/admin/groups/${groupId}/members`, { user: erinId }).expect(200);
    await get(`/idp/admin/groups/${groupId}`);
    await session.post(`/idp/admin/groups/${groupId}/apps`, { app: DEMO_APP_ID }).expect(200);
    await idle(server);

    const created = await admin(server, 'get', `/sp/api/accounts/${DEMO_ACCOUNT.id}/users`).expect(200);
    const erin = (created.body as (Record<string, unknown> & { email: string })[]).find((u) => u.email === 'erin@acme.test');
    assert.ok(erin, 'provisioned to the SP');
    assert.equal(erin.status, 'pending');
    assert.equal(erin.createdVia, 'scim');
    assert.equal(erin.department, 'Field Sales');
    assert.deepEqual(erin.addresses, [{ type: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US' }]);
    assert.deepEqual(erin.phoneNumbers, [{ type: 'work', value: '+16505550111' }, { type: 'mobile', value: '+16505550112' }]);
    assert.equal((erin.extension as { country?: string } | undefined)?.country, 'US', 'an unassigned US extension taken');
  });
});
