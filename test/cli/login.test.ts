import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { runLoginCommand } from '../../src/cli/login-command.js';
import { runCommand, type CommandRun } from '../support/cli.js';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { startLaxSp, type LaxSp } from '../support/lax-sp.js';

const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> => runCommand(runLoginCommand, argv, { env });

describe('sso-harness login', () => {
  let server: RunningHarness;
  let url: string;

  let lax: LaxSp;

  before(async () => {
    server = await startTestServer({ demo: true });
    const { port } = server.server.address() as AddressInfo;
    url = `http://127.0.0.1:${port}`;
    await seedDemo({ idpBaseUrl: server.config.idpBaseUrl, spBaseUrl: server.config.spBaseUrl, adminToken: ADMIN_TOKEN });
    // Another SP, set up at the IdP as an administrator would: a custom SAML app from its metadata.
    lax = await startLaxSp({ idpSsoUrl: `${url}/idp/apps/other-sp/sso` });
    await admin(server, 'post', '/idp/api/apps').send({ template: 'custom-saml', id: 'other-sp', displayLabel: 'Other SP' }).expect(201);
    await admin(server, 'put', '/idp/api/apps/other-sp/sp-metadata').set('content-type', 'application/xml').send(lax.metadata).expect(200);
    const user = await admin(server, 'post', '/idp/api/users').send({ email: 'eve@other.test', password: 'eve-password-1', firstName: 'Eve', lastName: 'Example' }).expect(201);
    const group = await admin(server, 'post', '/idp/api/groups').send({ name: 'Other SP users', members: [user.body.id] }).expect(201);
    await admin(server, 'put', `/idp/api/apps/other-sp/groups/${group.body.id}`).expect(200);
  });
  after(async () => {
    await lax?.close();
    await server.close();
  });

  it('signs in at another SP from its login URL and reports where it landed', async () => {
    const r = await run(['--email', 'eve@other.test', '--password', 'eve-password-1', '--sp-login-url', `${lax.url}/login?user={email}`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /POST http:\/\/127\.0\.0\.1:\d+\/acs → 302/);
    assert.match(r.out, new RegExp(`signed in\\n {2}landedOn {7}${lax.url}/home`));
    assert.deepEqual(lax.signedIn, ['eve@other.test']);
  });

  it('signs in through the IdP and prints every hop and the SP session', async () => {
    const r = await run(['--email', 'ann@acme.test', '--password', 'ann-password-1', '--url', url]);
    assert.equal(r.code, 0, r.err);
    // The demo's JumpCloud metadata lists only HTTP-POST: the SP's page posts the request to the IdP.
    assert.match(r.out, /1\. GET {2}http:\/\/127\.0\.0\.1:\d+\/sp\/login\?email=ann%40acme\.test → 200/);
    assert.match(r.out, /2\. POST http:\/\/127\.0\.0\.1:\d+\/idp\/apps\/ringcentral\/sso → 303/);
    assert.match(r.out, /POST http:\/\/127\.0\.0\.1:\d+\/sp\/acs → 303/);
    assert.match(r.out, /signed in\n/);
    assert.match(r.out, /ann@acme\.test/);
  });

  it('finds the harness at $SSO_HARNESS_URL when --url is not given', async () => {
    const r = await run(['--email', 'bob@acme.test', '--password', 'bob-password-1'], { SSO_HARNESS_URL: `${url}/` });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`1\\. GET {2}${url}/sp/login\\?email=bob%40acme\\.test → 200`));
  });

  it('takes the password from SSO_HARNESS_LOGIN_PASSWORD and answers JSON', async () => {
    const r = await run(['--email', 'bob@acme.test', '--url', url, '--json'], { SSO_HARNESS_LOGIN_PASSWORD: 'bob-password-1' });
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out) as { ok: boolean; hops: unknown[] };
    assert.equal(result.ok, true);
    assert.ok(result.hops.length >= 5);
  });

  it('starts at the SP login URL given with --sp-login-url', async () => {
    const r = await run(['--email', 'ann@acme.test', '--password', 'ann-password-1', '--sp-login-url', `${url}/sp/login?email={email}`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /signed in/);
  });

  it('exits 1 with the reason when the IdP refuses the user', async () => {
    const r = await run(['--email', 'carol@acme.test', '--password', 'carol-password-1', '--url', url]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^sso-harness login: the login was refused: .+\n$/);
  });

  it('exits 1 for a wrong password', async () => {
    const r = await run(['--email', 'ann@acme.test', '--password', 'wrong', '--url', url]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^sso-harness login: the login was refused/);
  });

  it('exits 3 with one line when the harness is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await run(['--email', 'ann@acme.test', '--password', 'x', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(r.code, 3);
    assert.match(r.err, /^sso-harness login: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  });

  const usage: [string, string[], RegExp][] = [
    ['a missing email', ['--password', 'p'], /missing --email/],
    ['a missing password', ['--email', 'a@b.test'], /no password: give --password or set SSO_HARNESS_LOGIN_PASSWORD/],
    ['a URL that is not http', ['--email', 'a@b.test', '--password', 'p', '--url', 'ftp://x'], /--url must be an http\(s\) URL/],
  ];
  for (const [what, argv, message] of usage) {
    it(`exits 2 for ${what}`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }
});
