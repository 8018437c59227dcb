import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { runInspectCommand } from '../../src/cli/inspect-command.js';
import type { CliIo } from '../../src/cli/output.js';
import type { MetadataReport } from '../../src/saml/metadata-report.js';
import { BINDING } from '../../src/saml/urn.js';
import { nestedPrefixes } from '../support/hostile-xml.js';

const M = 'fixtures/metadata';
const DEEP_METADATA = join(mkdtempSync(join(tmpdir(), 'deep-metadata-')), 'deep.xml');
writeFileSync(DEEP_METADATA, nestedPrefixes('md:EntityDescriptor', 5_000));
const NOW = Date.parse('2030-01-01T00:00:00Z');

async function run(argv: string[], extra: { stdin?: string; tty?: boolean; env?: NodeJS.ProcessEnv; nowMs?: number } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t), isTTY: extra.tty === true },
    stderr: { write: (t: string) => (err += t) },
    env: extra.env ?? {},
    now: () => extra.nowMs ?? NOW,
    ...(extra.stdin !== undefined && { stdin: Readable.from([Buffer.from(extra.stdin)]) }),
  };
  const code = await runInspectCommand(argv, io);
  return { code, out, err };
}

async function json(argv: string[], nowMs?: number): Promise<MetadataReport> {
  const { code, out, err } = await run([...argv, '--json'], nowMs === undefined ? {} : { nowMs });
  assert.equal(code, 0, err);
  return JSON.parse(out) as MetadataReport;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sso-harness inspect', () => {
  it('reports the JumpCloud-style IdP: endpoints by binding, certificate details, attributes, RingCentral needs met', async () => {
    const report = await json([`${M}/idp.jumpcloud-style.xml`]);
    const [entity] = report.entities;
    assert.equal(entity?.entityId, 'JumpCloud-acme-ringcentral');
    const role = entity?.roles[0];
    assert.equal(role?.role, 'idp');
    if (role?.role !== 'idp') return;
    assert.deepEqual(role.endpoints[BINDING.redirect], ['https://sso.jumpcloud.com/saml2/ringcentral']);
    assert.deepEqual(role.endpoints[BINDING.post], ['https://sso.jumpcloud.com/saml2/ringcentral']);
    assert.equal(role.wantAuthnRequestsSigned, false);
    assert.deepEqual(role.attributes, ['email', 'number']);
    const cert = new X509Certificate(readFileSync('fixtures/keys/idp.cert.pem'));
    assert.deepEqual(role.certificates.map((c) => [c.use, c.keyType, c.keyBits, c.sha1, c.sha256, c.expired]),
      [['signing', 'rsa', 2048, cert.fingerprint, cert.fingerprint256, false]]);
    assert.deepEqual(entity?.ringCentral.map((r) => r.met), [true, true, true, true, 'unknown']);
    assert.deepEqual(report.warnings, []);
  });

  it('prints the Okta-style IdP as text, without colour when stdout is not a terminal', async () => {
    const { code, out } = await run([`${M}/idp.okta-style.no-want-authn-requests-signed.xml`]);
    assert.equal(code, 0);
    assert.match(out, /^IdP {2}http:\/\/www\.okta\.com\/exk8harnessRc0app1d7$/m);
    assert.match(out, /HTTP-Redirect {2}https:\/\/harness-example\.okta\.com\//);
    assert.match(out, /WantAuthnRequestsSigned: \(not set\)/);
    assert.match(out, /NameID formats: unspecified, emailAddress/);
    assert.match(out, /SHA-256 [0-9A-F:]{95}/);
    assert.match(out, /No warnings\./);
    assert.doesNotMatch(out, /\x1b\[/);
  });

  it('colours the text on a terminal, unless NO_COLOR is set', async () => {
    assert.match((await run([`${M}/idp.jumpcloud-style.xml`], { tty: true })).out, /\x1b\[32m/);
    assert.doesNotMatch((await run([`${M}/idp.jumpcloud-style.xml`], { tty: true, env: { NO_COLOR: '1' } })).out, /\x1b\[/);
  });

  it('reports the RingCentral-style SP with its ACS and signing flags', async () => {
    const report = await json([`${M}/sp.ringcentral-style.xml`]);
    const role = report.entities[0]?.roles[0];
    assert.equal(role?.role, 'sp');
    if (role?.role !== 'sp') return;
    assert.deepEqual(role.endpoints[BINDING.post], ['https://sso.ringcentral.com/sp/ACS.saml2']);
    assert.equal(role.authnRequestsSigned, true);
    assert.equal(role.wantAssertionsSigned, true);
    assert.equal(report.entities[0]?.ringCentral[0]?.met, true);
  });

  it('reports every entity of an EntitiesDescriptor', async () => {
    const report = await json([`${M}/entities.jumpcloud-idp.ringcentral-sp.xml`]);
    assert.equal(report.document, 'EntitiesDescriptor');
    assert.deepEqual(report.entities.map((e) => [e.entityId, e.roles.map((r) => r.role)]),
      [['JumpCloud-acme-ringcentral', ['idp']], ['https://sso.ringcentral.com', ['sp']]]);
  });

  it('reads standard input for -', async () => {
    const { code, out } = await run(['-', '--json'], { stdin: readFileSync(`${M}/sp.ringcentral-style.xml`, 'utf8') });
    assert.equal(code, 0);
    assert.equal((JSON.parse(out) as { source: string }).source, 'stdin');
  });

  const warningCases: [string, string, RegExp[], number?][] = [
    ['a weak key, an http endpoint, no Redirect binding and an element out of schema order', 'idp.weak-key.http-endpoint.post-only.out-of-order.xml',
      [/^schema invalid: NameIDFormat comes after SingleSignOnService in the IDPSSODescriptor/, /plain http:\/\//, /no HTTP-Redirect SingleSignOnService/, /1024-bit RSA key/]],
    ['an SP that signs requests without a signing certificate', 'sp.no-signing-cert.xml', [/publishes no signing certificate/]],
    ['an expired certificate', 'idp.jumpcloud-style.xml', [/expired on 2125-12-08/], Date.parse('2130-01-01T00:00:00Z')],
    ['a certificate expiring soon', 'idp.jumpcloud-style.xml', [/expires in 6 days/], Date.parse('2125-12-01T12:00:00Z')],
  ];
  for (const [what, name, patterns, nowMs] of warningCases) {
    it(`warns about ${what}, and exits 1 with --strict`, async () => {
      const report = await json([`${M}/${name}`], nowMs);
      for (const p of patterns) assert.ok(report.warnings.some((w) => p.test(w)), `${p} in ${report.warnings.join(' | ')}`);
      assert.equal((await run([`${M}/${name}`, '--strict'], nowMs === undefined ? {} : { nowMs })).code, 1);
    });
  }

  const badInput: [string, () => Promise<string>, RegExp][] = [
    ['not XML', async () => `${M}/not-xml.txt`, /the metadata is not XML/],
    ['not SAML', async () => `${M}/not-saml.xml`, /the document is not SAML metadata/],
    ['a broken certificate', async () => `${M}/idp.wrong-certificate.xml`, /signing certificate cannot be read/],
    ['a missing file', async () => `${M}/no-such-file.xml`, /cannot read .*no such file/],
    ['an unreachable URL', async () => `http://127.0.0.1:${await closedPort()}/metadata`, /cannot fetch http:\/\/127\.0\.0\.1:\d+\/metadata: ECONNREFUSED/],
    ['metadata nested 5,000 deep', async () => DEEP_METADATA, /metadata is refused: its elements nest 65 deep, past the limit of 64 levels/],
  ];
  for (const [what, input, message] of badInput) {
    it(`exits 3 with one line for ${what}`, async () => {
      const { code, out, err } = await run([await input()]);
      assert.equal(code, 3);
      assert.equal(out, '');
      assert.match(err, message);
      assert.match(err, /^sso-harness inspect: [^\n]+\n$/);
    });
  }

  it('exits 3 with one line when the fetch times out while the document is still arriving', async () => {
    // What fetch does when its timeout fires after the headers: the body stream errors with the signal's reason.
    const trickling = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('<md:EntityDescriptor '));
          },
          pull(controller) {
            controller.error(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
          },
        }),
        { status: 200 },
      )) as typeof fetch;
    let err = '';
    const code = await runInspectCommand(['https://idp.example.test/metadata'], {
      stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) }, env: {}, now: () => NOW, fetch: trickling,
    });
    assert.equal(code, 3);
    assert.match(err, /^sso-harness inspect: cannot fetch https:\/\/idp\.example\.test\/metadata: the body did not arrive within 10000 ms\n$/);
  });

  it('shows a progress line on a terminal\'s stderr while a slow fetch runs, then clears it', async () => {
    let out = '';
    let err = '';
    const xml = readFileSync(`${M}/idp.jumpcloud-style.xml`, 'utf8');
    // The fetch outlasts the progress line's delay (shortened from a second to 20 ms).
    const slowFetch = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return new Response(xml, { status: 200 });
    }) as typeof fetch;
    const code = await runInspectCommand(['https://idp.example.test/metadata'], {
      stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t), isTTY: true }, env: {}, now: () => NOW, fetch: slowFetch, progressDelayMs: 20,
    });
    assert.equal(code, 0);
    assert.match(err, /fetching https:\/\/idp\.example\.test\/metadata/);
    assert.ok(err.endsWith('\r\x1b[K'));
    assert.match(out, /JumpCloud-acme-ringcentral/);
  });

  it('exits 2 on bad usage and prints help with examples', async () => {
    assert.equal((await run([])).code, 2);
    const unknown = await run(['--bogus', `${M}/idp.jumpcloud-style.xml`]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^sso-harness inspect: .*\(see --help\)\n$/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /Examples:\n {2}sso-harness inspect /);
  });

  it('is wired into the sso-harness command', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'inspect', `${M}/idp.jumpcloud-style.xml`, '--json']);
    assert.equal((JSON.parse(stdout) as MetadataReport).entities[0]?.entityId, 'JumpCloud-acme-ringcentral');
    await assert.rejects(promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'inspect', `${M}/not-saml.xml`]),
      (err: { code: number; stderr: string }) => err.code === 3 && /^sso-harness inspect: the document is not SAML metadata/m.test(err.stderr) && !/\n\s+at /.test(err.stderr));
  });
});
