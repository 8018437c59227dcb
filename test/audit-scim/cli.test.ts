import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { runAuditScimCommand } from '../../src/cli/audit-scim-command.js';
import type { CliIo } from '../../src/cli/output.js';
import { startLaxScim, type LaxScim } from '../support/lax-scim.js';

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: { write: (t: string) => (err += t), isTTY: false },
    env,
    out: () => out,
    err: () => err,
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('sso-harness audit-scim', () => {
  let lax: LaxScim | undefined;
  afterEach(() => lax?.close());

  it('exits 0 and prints the scorecard when every step passes', async () => {
    lax = await startLaxScim([]);
    const io = captureIo();
    const status = await runAuditScimCommand(['--scim-url', lax.url, '--token', lax.token, '--dialect', 'okta', '--max-rate', '1000'], io);
    assert.equal(status, 0, io.err());
    assert.match(io.out(), /pass  okta create: creates the user/);
    assert.match(io.out(), /steps: \d+ passed, 0 failed\./);
  });

  it('exits 1 and names the failing steps when some fail', async () => {
    lax = await startLaxScim(['created200']);
    const io = captureIo({ SSO_HARNESS_SCIM_TOKEN: lax.token });
    const status = await runAuditScimCommand(['--scim-url', lax.url, '--dialect', 'jumpcloud', '--max-rate', '1000', '--json'], io);
    assert.equal(status, 1);
    const report = JSON.parse(io.out()) as { failures: Record<string, string[]> };
    assert.deepEqual(report.failures, { jumpcloud: ['create'] });
  });

  it('exits 2 on a usage error, with what to change', async () => {
    const io = captureIo();
    assert.equal(await runAuditScimCommand(['--scim-url', 'http://127.0.0.1:1/scim/v2', '--token', 't', '--dialect', 'onelogin'], io), 2);
    assert.match(io.err(), /--dialect is jumpcloud, okta, entra or all, not onelogin/);
    const missing = captureIo();
    assert.equal(await runAuditScimCommand(['--scim-url', 'http://127.0.0.1:1/scim/v2'], missing), 2);
    assert.match(missing.err(), /no credentials: give --token/);
  });

  it('exits 2 when the server refuses the connection, and creates nothing', async () => {
    const io = captureIo();
    const status = await runAuditScimCommand(['--scim-url', `http://127.0.0.1:${await closedPort()}/scim/v2`, '--token', 't'], io);
    assert.equal(status, 2);
    assert.match(io.err(), /^sso-harness audit-scim: http:\/\/127\.0\.0\.1:\d+\/scim\/v2 does not answer: .*ECONNREFUSED.*check the URL/);
    assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
  });

  it('exits 2 when the server refuses the token', async () => {
    lax = await startLaxScim([]);
    const io = captureIo();
    assert.equal(await runAuditScimCommand(['--scim-url', lax.url, '--token', 'wrong'], io), 2);
    assert.match(io.err(), /answered HTTP 401: the server refuses these credentials/);
    assert.ok(lax.requests.every((r) => r.includes('/ServiceProviderConfig')), 'nothing but the first GET');
  });
});
