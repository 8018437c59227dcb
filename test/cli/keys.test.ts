import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKeysCommand } from '../../src/cli/keys-command.js';
import { runCommand, type CommandRun } from '../support/cli.js';

const run = (argv: string[]): Promise<CommandRun> => runCommand(runKeysCommand, argv, { now: () => Date.parse('2026-01-01T00:00:00Z') });

describe('sso-harness keys generate', () => {
  it('writes a 0600 key and its certificate and prints the summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'keys-test-'));
    const r = await run(['generate', '--out', out, '--name', 'idp', '--days', '30', '--json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { key: string; certificate: string; summary: { keyBits: number; daysToExpiry: number; subject: string } };
    assert.equal(report.key, join(out, 'idp.key.pem'));
    assert.equal(statSync(report.key).mode & 0o777, 0o600);
    const cert = new X509Certificate(readFileSync(report.certificate));
    assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(report.key))));
    assert.equal(report.summary.keyBits, 2048);
    assert.equal(report.summary.daysToExpiry, 30);
    assert.equal(report.summary.subject, 'CN=sso-harness idp');
  });

  it('refuses to overwrite either file without --force, and overwrites with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'keys-test-'));
    writeFileSync(join(out, 'sp.cert.pem'), 'keep me');
    const refused = await run(['generate', '--out', out, '--name', 'sp']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^sso-harness keys: .*sp\.cert\.pem exists; use --force to overwrite it\n$/);
    assert.equal(readFileSync(join(out, 'sp.cert.pem'), 'utf8'), 'keep me');
    assert.throws(() => statSync(join(out, 'sp.key.pem')));
    const forced = await run(['generate', '--out', out, '--name', 'sp', '--force']);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /SHA-256 {6}([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
  });

  const usage: [string, string[], RegExp][] = [
    ['a key size it does not make', ['generate', '--bits', '1024'], /--bits must be 2048, 3072 or 4096, not 1024/],
    ['a lifetime that is not a number', ['generate', '--days', 'soon'], /--days must be a whole number/],
    ['a name with a path in it', ['generate', '--name', '../x'], /--name must be a plain file name stem/],
    ['an unknown subcommand', ['revoke'], /unknown keys command revoke/],
  ];
  for (const [what, argv, message] of usage) {
    it(`exits 2 for ${what}`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }

  it('prints its help with examples', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Examples:\n {2}sso-harness keys generate/);
  });
});
