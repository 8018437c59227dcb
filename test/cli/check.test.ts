import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCheckCommand } from '../../src/cli/check-command.js';
import { runCommand, type CommandRun } from '../support/cli.js';
import type { PairCheck } from '../../src/saml/metadata-check.js';
import { nestedPrefixes } from '../support/hostile-xml.js';

const M = 'fixtures/metadata';
const DEEP_METADATA = join(mkdtempSync(join(tmpdir(), 'deep-metadata-')), 'deep.xml');
writeFileSync(DEEP_METADATA, nestedPrefixes('md:EntityDescriptor', 5_000));
const JUMPCLOUD = `${M}/idp.jumpcloud-style.xml`;
const OKTA = `${M}/idp.okta-style.no-want-authn-requests-signed.xml`;
const WEAK = `${M}/idp.weak-key.http-endpoint.post-only.out-of-order.xml`;
const RINGCENTRAL = `${M}/sp.ringcentral-style.xml`;
const UNSIGNED_SP = `${M}/sp.no-signing-cert.xml`;

const run = (argv: string[], extra: { stdin?: string } = {}): Promise<CommandRun> =>
  runCommand(runCheckCommand, argv, {
    now: () => Date.parse('2030-01-01T00:00:00Z'),
    ...(extra.stdin !== undefined && { stdin: Readable.from([Buffer.from(extra.stdin)]) }),
  });

async function check(argv: string[], extra: { stdin?: string } = {}): Promise<{ code: number; report: PairCheck }> {
  const { code, out, err } = await run([...argv, '--json'], extra);
  assert.ok(code === 0 || code === 1, err);
  return { code, report: JSON.parse(out) as PairCheck };
}

const problems = (r: PairCheck): string[] => r.findings.filter((f) => f.severity !== 'ok').map((f) => `${f.severity} ${f.topic}`);

describe('sso-harness check', () => {
  it('finds nothing wrong with the JumpCloud-style IdP and the RingCentral-style SP', async () => {
    const { code, report } = await check([JUMPCLOUD, RINGCENTRAL]);
    assert.equal(code, 0);
    assert.equal(report.ringCentral, true);
    assert.deepEqual(problems(report), []);
  });

  it('warns that the Okta-style IdP lists neither "email" nor "number", and fails with --strict', async () => {
    const { code, report } = await check([OKTA, RINGCENTRAL]);
    assert.equal(code, 0);
    assert.deepEqual(problems(report), ['warning attributes', 'warning attributes']);
    assert.ok(report.findings.some((f) => /SAML_SUBJECT/.test(f.fix ?? '')));
    assert.equal((await run([OKTA, RINGCENTRAL, '--strict'])).code, 1);
  });

  const errorCases: [string, string, string, string[]][] = [
    ['an IdP for RingCentral that signs with SHA-1 only (and lists only HTTP-POST: a warning)', WEAK, RINGCENTRAL, ['warning binding', 'error algorithm']],
    ['an IdP that wants signed requests from an SP without a signing certificate', WEAK, UNSIGNED_SP, ['error signing', 'error algorithm']],
  ];
  for (const [what, idp, sp, expected] of errorCases) {
    it(`exits 1 for ${what}`, async () => {
      const { code, report } = await check([idp, sp]);
      assert.equal(code, 1);
      for (const e of expected) assert.ok(problems(report).includes(e), `${e} in ${problems(report).join(', ')}`);
      assert.ok(report.findings.filter((f) => f.severity === 'error').every((f) => f.fix !== undefined));
    });
  }

  it('exits 1 when the IdP reuses the SP entity ID (IdP read from standard input)', async () => {
    const idp = readFileSync(JUMPCLOUD, 'utf8').replace('entityID="JumpCloud-acme-ringcentral"', 'entityID="https://sso.ringcentral.com"');
    const { code, report } = await check(['-', RINGCENTRAL], { stdin: idp });
    assert.equal(code, 1);
    assert.deepEqual(problems(report), ['error entity-id']);
  });

  it('prints one line per finding, each problem with its fix', async () => {
    const { code, out } = await run([WEAK, RINGCENTRAL]);
    assert.equal(code, 1);
    assert.match(out, /^error {3}algorithm {3}the IdP signs only with .* fix: set the IdP's Signature Algorithm to RSA-SHA256/m);
    assert.match(out, /^warning binding {5}the IdP has no HTTP-Redirect SingleSignOnService: RingCentral must POST its AuthnRequests.* fix: publish an HTTP-Redirect SSO endpoint \(JumpCloud: tick "Declare Redirect Endpoint"/m);
    assert.match(out, /\d errors?, \d warnings?: these two will not work together/);
  });

  const closedPort = async (): Promise<number> => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  };
  const badInput: [string, () => Promise<string[]>, RegExp][] = [
    ['metadata of the wrong role', async () => [RINGCENTRAL, JUMPCLOUD], /the IdP metadata: no IDPSSODescriptor: this looks like SP metadata/],
    ['SP metadata that is not XML', async () => [JUMPCLOUD, `${M}/not-xml.txt`], /the SP metadata: the metadata is not XML/],
    ['IdP metadata that is not SAML', async () => [`${M}/not-saml.xml`, RINGCENTRAL], /the IdP metadata: the document is not SAML metadata/],
    ['an IdP certificate that cannot be read', async () => [`${M}/idp.wrong-certificate.xml`, RINGCENTRAL], /signing certificate cannot be read/],
    ['an unreachable URL', async () => [`http://127.0.0.1:${await closedPort()}/idp/metadata`, RINGCENTRAL], /^sso-harness check: IdP metadata: cannot fetch .*ECONNREFUSED/],
    ['IdP metadata nested 5,000 deep', async () => [DEEP_METADATA, RINGCENTRAL], /the IdP metadata: metadata is refused: its elements nest 65 deep/],
  ];
  for (const [what, args, message] of badInput) {
    it(`exits 3 with one line for ${what}`, async () => {
      const { code, out, err } = await run(await args());
      assert.equal(code, 3);
      assert.equal(out, '');
      assert.match(err, message);
      assert.match(err, /^sso-harness check: [^\n]+\n$/);
    });
  }

  it('exits 2 on bad usage and prints help with examples', async () => {
    assert.equal((await run([JUMPCLOUD])).code, 2);
    assert.equal((await run(['-', '-'])).code, 2);
    const help = await run(['-h']);
    assert.equal(help.code, 0);
    assert.match(help.out, /Examples:\n {2}sso-harness check /);
  });
});
