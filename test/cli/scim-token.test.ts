import assert from 'node:assert/strict';
import { runScimTokenCommand } from '../../src/cli/scim-token-command.js';
import { runCommand, type CommandRun } from '../support/cli.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> =>
  runCommand(runScimTokenCommand, argv, { env, now: () => Date.parse('2031-02-03T04:05:06Z') });

describe('sso-harness scim-token', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme', id: 'acme' }).expect(201);
  });
  after(() => server.close());

  const scimStatus = async (token: string): Promise<number> => (await fetch(`${server.url}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('prints only the token on stdout, the rest on stderr, and the token reaches the SCIM API', async () => {
    const r = await run(['--account', 'acme', '--url', server.url, '--token', ADMIN_TOKEN, '--name', 'Entra ID']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^rcscim_[A-Za-z0-9_-]{43}\n$/);
    assert.match(r.err, /^Minted SCIM token Entra ID \(tok-[A-Za-z0-9_-]+\) for account acme; it is not shown again\.\n/);
    assert.match(r.err, new RegExp(`SCIM base URL \\(Tenant URL\\): ${server.url}/scim/v2`));
    assert.equal(await scimStatus(r.out.trim()), 200);
    const listed = (await admin(server, 'get', '/sp/api/accounts/acme/scim-tokens').expect(200)).body as { name: string }[];
    assert.ok(listed.some((t) => t.name === 'Entra ID'));
  });

  it('takes the harness URL and admin token from the environment, and names the token by date', async () => {
    const r = await run(['--account', 'acme', '--json'], { SSO_HARNESS_URL: server.url, SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN });
    assert.equal(r.code, 0, r.err);
    const body = JSON.parse(r.out) as { token: string; name: string; accountId: string; scimBaseUrl: string };
    assert.equal(body.name, 'scim-token 2031-02-03');
    assert.equal(body.accountId, 'acme');
    assert.equal(body.scimBaseUrl, `${server.url}/scim/v2`);
    assert.equal(await scimStatus(body.token), 200);
    assert.equal(r.err, '');
  });

  it('exits 1 with the harness error for an unknown account or a wrong admin token', async () => {
    const unknown = await run(['--account', 'nobody', '--url', server.url, '--token', ADMIN_TOKEN]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.out, '');
    assert.match(unknown.err, /^sso-harness scim-token: POST \/sp\/api\/accounts\/nobody\/scim-tokens failed: HTTP 404 SP_ACCOUNT_NOT_FOUND: /);
    const wrong = await run(['--account', 'acme', '--url', server.url, '--token', 'not-the-admin-token']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /HTTP 401 ADMIN_TOKEN/);
  });

  it('exits 3 when the harness does not answer', async () => {
    const r = await run(['--account', 'acme', '--url', 'http://127.0.0.1:1', '--token', ADMIN_TOKEN]);
    assert.equal(r.code, 3);
    assert.match(r.err, /^sso-harness scim-token: http:\/\/127\.0\.0\.1:1 is unreachable: /);
  });

  const usage: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ['no account', ['--token', 'x'], {}, /missing --account/],
    ['no admin token', ['--account', 'acme'], {}, /no admin token: give --token or set SSO_HARNESS_ADMIN_TOKEN/],
    ['a URL that is not http', ['--account', 'acme', '--token', 'x', '--url', 'ftp://h'], {}, /--url must be an http\(s\) URL/],
    ['an unknown option', ['--account', 'acme', '--colour'], {}, /Unknown option '--colour'/],
  ];
  for (const [what, argv, env, message] of usage) {
    it(`exits 2 for ${what}`, async () => {
      const r = await run(argv, env);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.match(r.err, /\(see --help\)\n$/);
    });
  }
});
