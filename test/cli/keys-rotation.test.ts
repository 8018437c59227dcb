import assert from 'node:assert/strict';
import { runKeysCommand } from '../../src/cli/keys-command.js';
import { runCommand, type CommandRun } from '../support/cli.js';
import type { AppKeyView } from '../../src/idp/app-keys.js';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';

const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> => runCommand(runKeysCommand, argv, { env });

describe('sso-harness keys show|next|rotate', () => {
  let server: RunningHarness;
  let base: string[];

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    base = ['--app', 'ringcentral', '--url', server.url];
  });
  after(async () => {
    await server.close();
  });

  const keysOf = (out: string): AppKeyView[] => (JSON.parse(out) as { keys: AppKeyView[] }).keys;

  it('shows the harness key as the current one, with its expiry', async () => {
    const r = await run(['show', ...base, '--token', ADMIN_TOKEN]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Signing keys of ringcentral\n {2}current  CN=.*\(the harness IdP key\)\n {11}valid \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(\d+ days left\)\n {11}SHA-256 /);
    assert.match(r.out, /no next key/);
  });

  it('exits 1 with the harness error when there is no next key to rotate to', async () => {
    const r = await run(['rotate', ...base], { SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN });
    assert.equal(r.code, 1);
    assert.match(r.err, /^sso-harness keys: POST \/idp\/api\/apps\/ringcentral\/keys\/rotate failed: HTTP 409 IDP_KEY_NO_NEXT: /);
  });

  it('makes a next key, then rotates to it', async () => {
    const next = await run(['next', ...base, '--token', ADMIN_TOKEN, '--days', '90', '--json']);
    assert.equal(next.code, 0, next.err);
    const made = keysOf(next.out);
    assert.deepEqual(made.map((k) => k.role), ['current', 'next']);
    assert.ok([89, 90].includes(made[1]!.certificate.daysToExpiry));
    const rotated = await run(['rotate', ...base, '--token', ADMIN_TOKEN, '--json']);
    assert.equal(rotated.code, 0, rotated.err);
    assert.deepEqual(keysOf(rotated.out).map((k) => [k.role, k.certificate.sha256]), [['current', made[1]!.certificate.sha256]]);
  });

  const usage: [string, string[], RegExp][] = [
    ['no application', ['rotate', '--token', 'x'], /missing --app/],
    ['no token', ['rotate', '--app', 'ringcentral'], /no admin token: give --token or set SSO_HARNESS_ADMIN_TOKEN/],
    ['--days with rotate', ['rotate', '--app', 'a', '--token', 'x', '--days', '3'], /--days applies to keys next only/],
    ['a URL that is not http(s)', ['show', '--app', 'a', '--token', 'x', '--url', 'ftp://h'], /--url must be an http\(s\) URL/],
  ];
  for (const [what, argv, message] of usage) {
    it(`exits 2 for ${what}`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }

  it('exits 1 for an application that does not exist, and 3 when the harness is unreachable', async () => {
    const missing = await run(['show', '--app', 'nope', '--url', server.url, '--token', ADMIN_TOKEN]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /IDP_APP_NOT_FOUND/);
    const down = await run(['show', '--app', 'ringcentral', '--url', 'http://127.0.0.1:9', '--token', ADMIN_TOKEN]);
    assert.equal(down.code, 3);
    assert.match(down.err, /is unreachable/);
  });

  it('finds the harness at $SSO_HARNESS_URL, and --url wins over it', async () => {
    const fromEnv = await run(['show', '--app', 'ringcentral', '--json'], { SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN, SSO_HARNESS_URL: server.url });
    assert.equal(fromEnv.code, 0, fromEnv.err);
    assert.deepEqual(keysOf(fromEnv.out).map((k) => k.role), ['current']);
    const flagWins = await run(['show', ...base, '--token', ADMIN_TOKEN], { SSO_HARNESS_URL: 'http://127.0.0.1:9' });
    assert.equal(flagWins.code, 0, flagWins.err);
    const bad = await run(['show', '--app', 'ringcentral', '--token', ADMIN_TOKEN], { SSO_HARNESS_URL: 'localhost:8400' });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^sso-harness keys: SSO_HARNESS_URL must be an http\(s\) URL such as http:\/\/localhost:8400, not localhost:8400 \(see --help\)\n$/);
  });

  it('prints its help with examples', async () => {
    const r = await run(['rotate', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Examples:\n {2}sso-harness keys next --app ringcentral/);
  });
});

describe('sso-harness keys show with an admin token that begins with "-"', () => {
  const DASH_TOKEN = '-dash-token-0123456789abcdef';
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer({ adminToken: DASH_TOKEN });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: DASH_TOKEN });
  });
  after(async () => {
    await server.close();
  });

  it('takes it written --token=T', async () => {
    const r = await run(['show', '--app', 'ringcentral', '--url', server.url, `--token=${DASH_TOKEN}`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Signing keys of ringcentral\n/);
  });

  it('refuses it as a separate argument with one line saying to write --token=T', async () => {
    const r = await run(['show', '--app', 'ringcentral', '--url', server.url, '--token', DASH_TOKEN]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `sso-harness keys: --token takes a value, and the next argument (${DASH_TOKEN}) begins with "-": write --token=${DASH_TOKEN} if that is the value (see --help)\n`);
  });

  it('says in its usage how to write such a token', async () => {
    const r = await run(['show', '--help']);
    assert.match(r.out, /--token T +the admin token \(default \$SSO_HARNESS_ADMIN_TOKEN\); a token that\n +begins with "-" is written --token=T\n/);
  });
});
