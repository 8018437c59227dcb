import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import request from 'supertest';
import { runDecodeCommand } from '../../src/cli/decode-command.js';
import type { CliIo } from '../../src/cli/output.js';
import { buildRedirectUrl } from '../../src/saml/redirect-binding.js';
import { NS, signatureAlgorithmFor } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, startTestServer } from '../support/harness.js';
import { nestedPrefixes } from '../support/hostile-xml.js';
import { fixtureKey } from '../support/keys.js';

const HAR = 'fixtures/har/sp-initiated-login.har';
const IDP_CERT = 'fixtures/keys/idp.cert.pem';
const ATTACKER_CERT = 'fixtures/keys/attacker.cert.pem';

interface HarFixture {
  log: { entries: { request: { method: string; url: string; postData?: { text: string } }; response: { content: { text: string } } }[] };
}
const har = JSON.parse(readFileSync(HAR, 'utf8')) as HarFixture;
const redirectUrl = har.log.entries.find((e) => e.request.url.includes('SAMLRequest='))?.request.url ?? '';
const acsPost = har.log.entries.find((e) => e.request.method === 'POST' && e.request.url.endsWith('/sp/acs'));
const samlResponse = new URLSearchParams(acsPost?.request.postData?.text ?? '').get('SAMLResponse') ?? '';
const autoPostPage = har.log.entries.find((e) => e.response.content.text.includes('name="SAMLResponse"'))?.response.content.text ?? '';

async function run(argv: string[], extra: { stdin?: string; tty?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t), isTTY: extra.tty === true },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    now: () => Date.parse('2030-01-01T00:00:00Z'),
    ...(extra.stdin !== undefined && { stdin: Readable.from([Buffer.from(extra.stdin)]) }),
  };
  const code = await runDecodeCommand(argv, io);
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'decode-test-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('sso-harness decode', () => {
  it('finds both messages of the recorded SP-initiated login and verifies the Response with the IdP certificate', async () => {
    const { code, out, err } = await run([HAR, '--cert', IDP_CERT, '--json']);
    assert.equal(code, 0, err);
    const report = JSON.parse(out) as { input: string; ok: boolean; messages: { messageType: string; verdict?: { checks: { check: string; verdict: string }[] } }[] };
    assert.equal(report.input, 'har');
    assert.deepEqual(report.messages.map((m) => m.messageType), ['AuthnRequest', 'Response']);
    const verdicts = Object.fromEntries((report.messages[1]?.verdict?.checks ?? []).map((c) => [c.check, c.verdict]));
    assert.equal(verdicts['signature-verify'], 'pass');
    assert.equal(verdicts['time-window'], 'pass');
    assert.equal(verdicts.issuer, 'skip');
    assert.equal(verdicts.audience, 'skip');
    assert.equal(verdicts['in-response-to'], 'skip');
  });

  it('checks the audience, ACS and request ID when they are given', async () => {
    const { code, out } = await run([HAR, '--cert', IDP_CERT, '--audience', 'http://localhost:8400/sp', '--acs', 'http://localhost:8400/sp/acs', '--request-id', requestIdOf(redirectUrl)]);
    assert.equal(code, 0);
    assert.match(out, /pass {2}audience {14}http:\/\/localhost:8400\/sp\n/);
    assert.match(out, /pass {2}in-response-to {8}answers AuthnRequest _/);
    assert.match(out, /pass {2}destination/);
  });

  describe('with --metadata', () => {
    let server: RunningHarness;
    let metadataFile: string;
    before(async () => {
      // The harness that recorded the fixture: same public origin, same fixture IdP key.
      server = await startTestServer({ baseUrl: 'http://localhost:8400' });
      await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', mydomain: 'localhost:8400' }).expect(201);
      metadataFile = file('idp-metadata.xml', (await request(server.server).get('/idp/apps/ringcentral/metadata').expect(200)).text);
    });
    after(() => server.close());

    it('checks the issuer against the entity ID of the metadata', async () => {
      const { code, out, err } = await run([HAR, '--metadata', metadataFile, '--json']);
      assert.equal(code, 0, err);
      const report = JSON.parse(out) as { messages: { verdict?: { checks: { check: string; verdict: string }[] } }[] };
      const issuer = report.messages[1]?.verdict?.checks.find((c) => c.check === 'issuer');
      assert.equal(issuer?.verdict, 'pass');
    });

    it('fetches the metadata from a URL', async () => {
      const { port } = server.server.address() as AddressInfo;
      const { code, err } = await run([HAR, '--metadata', `http://127.0.0.1:${port}/idp/apps/ringcentral/metadata`]);
      assert.equal(code, 0, err);
    });

    it('fails the issuer check for metadata of another IdP entity', async () => {
      const other = file('other-metadata.xml', readFileSync(metadataFile, 'utf8').replace('entityID="http://localhost:8400/idp/apps/ringcentral"', 'entityID="https://idp.other.test"'));
      const { code, err } = await run([HAR, '--metadata', other]);
      assert.equal(code, 1);
      assert.match(err, /fails issuer: the assertion was issued by http:\/\/localhost:8400\/idp\/apps\/ringcentral, not by the IdP in the metadata \[SAML_ISSUER\]/);
    });
  });

  describe('a signed Redirect LogoutRequest from the IdP', () => {
    const logout = `<samlp:LogoutRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="_logout1" Version="2.0" IssueInstant="2026-11-24T08:00:00Z"><saml:Issuer>http://localhost:8400/idp/apps/ringcentral</saml:Issuer><saml:NameID>ann@acme.test</saml:NameID></samlp:LogoutRequest>`;
    const url = buildRedirectUrl('http://localhost:8400/sp/slo', 'SAMLRequest', logout, {
      relayState: '/sp/home',
      signing: { key: fixtureKey('idp'), algorithm: signatureAlgorithmFor('rsa-sha256') },
    });

    it('verifies its query signature with the IdP certificate', async () => {
      const { code, out, err } = await run([url, '--cert', IDP_CERT]);
      assert.equal(code, 0, err);
      assert.match(out, /^LogoutRequest \(SAMLRequest, HTTP-Redirect\)/);
      assert.match(out, /RelayState: \/sp\/home/);
      assert.match(out, /pass {2}signature {2}query signature \(.*rsa-sha256\) verified/);
    });

    it('exits 1 when another certificate is given', async () => {
      const { code, err } = await run([url, '--cert', ATTACKER_CERT]);
      assert.equal(code, 1);
      assert.match(err, /fails signature: the query signature does not verify with any certificate/);
    });
  });

  it('reads standard input without an argument, and with -', async () => {
    for (const argv of [[], ['-']]) {
      const { code, out } = await run(argv, { stdin: redirectUrl });
      assert.equal(code, 0);
      assert.match(out, /^AuthnRequest \(SAMLRequest, HTTP-Redirect\)/);
    }
  });

  it('colours its output on a terminal only', async () => {
    assert.match((await run([HAR, '--cert', IDP_CERT], { tty: true })).out, /\x1b\[32mpass\x1b\[0m/);
    assert.doesNotMatch((await run([HAR, '--cert', IDP_CERT])).out, /\x1b\[/);
  });

  const failures: [string, string[], RegExp][] = [
    ['a certificate that did not sign it', ['--cert', ATTACKER_CERT], /fails signature-verify: .*does not verify with any pinned IdP certificate \[SAML_SIGNATURE_UNTRUSTED\]/],
    ['another audience', ['--cert', IDP_CERT, '--audience', 'https://other.example'], /fails audience: .*another service provider \[SAML_AUDIENCE\]/],
    ['a time after it expired', ['--cert', IDP_CERT, '--now', '2099-01-01T00:00:00Z'], /fails subject-confirmation: .*expired.*\[SAML_EXPIRED\]/],
    ['another request ID', ['--cert', IDP_CERT, '--request-id', '_other'], /fails in-response-to: .*not an outstanding request \[SAML_IN_RESPONSE_TO\]/],
  ];
  for (const [what, options, message] of failures) {
    it(`exits 1 with one line when checked against ${what}`, async () => {
      const { code, err } = await run([HAR, ...options]);
      assert.equal(code, 1);
      assert.match(err, message);
      assert.equal(err.trim().split('\n').length, 1);
    });
  }

  const inputs: [string, () => string, string][] = [
    ['a full Redirect URL', () => redirectUrl, 'AuthnRequest'],
    ['a bare query string', () => redirectUrl.slice(redirectUrl.indexOf('?') + 1), 'AuthnRequest'],
    ['a deflated base64 value', () => decodeURIComponent(/SAMLRequest=([^&]*)/.exec(redirectUrl)?.[1] ?? ''), 'AuthnRequest'],
    ['a raw base64 SAMLResponse in a file', () => file('response.b64', `${samlResponse}\n`), 'Response'],
    ['a base64 value wrapped at 76 columns', () => `${samlResponse.replace(/.{76}/g, '$&\n')}\n`, 'Response'],
    ['a base64 value whose + became spaces', () => samlResponse.replace(/\+/g, ' '), 'Response'],
    ['an HTML auto-post form', () => file('form.html', autoPostPage), 'Response'],
    ['the XML itself', () => file('response.xml', Buffer.from(samlResponse, 'base64').toString('utf8')), 'Response'],
  ];
  for (const [what, input, type] of inputs) {
    it(`reads ${what}`, async () => {
      const { code, out, err } = await run([input()]);
      assert.equal(code, 0, err);
      assert.match(out, new RegExp(`^${type} \\(`));
      assert.match(out, /no --cert or --metadata, so nothing was verified/);
    });
  }

  it('verifies a Response given as a POST body pasted as a query string', async () => {
    const { code, err } = await run([`SAMLResponse=${encodeURIComponent(samlResponse)}&RelayState=%2Fsp%2Fhome`, '--cert', IDP_CERT]);
    assert.equal(code, 0, err);
  });

  const notXml = Buffer.from('just some words, no markup').toString('base64');
  const badInputs: [string, string, RegExp][] = [
    ['not base64', 'this is not * base64', /not base64, a URL, an HTML form, XML or a HAR file/],
    ['truncated base64', samlResponse.slice(0, 101), /truncated/],
    ['truncated deflate', deflateRawSync(Buffer.from('<samlp:AuthnRequest/>'.repeat(50))).subarray(0, 20).toString('base64'), /neither XML nor DEFLATE/],
    ['not XML', notXml, /neither XML nor DEFLATE/],
    ['broken XML', Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><unclosed>').toString('base64'), /not well-formed/],
    ['not SAML', Buffer.from('<note><to>Tove</to></note>').toString('base64'), /not a SAML message: its document element is note/],
    ['a message nested 5,000 deep, each level declaring a prefix', Buffer.from(nestedPrefixes('samlp:Response', 5_000)).toString('base64'), /25 namespace declarations in scope, past the limit of 24/],
    ['a Redirect message that inflates past 64 KiB', deflateRawSync(Buffer.from(nestedPrefixes('samlp:AuthnRequest', 5_000))).toString('base64'), /inflates past the cap of 65536 bytes/],
    ['a HAR file without SAML', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'http://x.test/' } }] } }), /no SAML message in any request/],
    ['a file that does not exist', 'captures/login.har', /cannot read captures\/login\.har: no such file/],
    ['an unreachable URL', 'http://127.0.0.1:PORT/capture.har', /cannot fetch http:\/\/127\.0\.0\.1:\d+\/capture\.har: ECONNREFUSED/],
  ];
  for (const [what, input, message] of badInputs) {
    it(`exits 3 with one line for ${what}`, async () => {
      const { code, out, err } = await run([input.replace('PORT', String(await closedPort()))]);
      assert.equal(code, 3);
      assert.equal(out, '');
      assert.match(err, /^sso-harness decode: /);
      assert.match(err, message);
      assert.equal(err.trim().split('\n').length, 1);
      assert.doesNotMatch(err, /\n\s+at /);
    });
  }

  it('exits 3 when --metadata is an unreachable URL', async () => {
    const { code, err } = await run([HAR, '--metadata', `http://127.0.0.1:${await closedPort()}/metadata`]);
    assert.equal(code, 3);
    assert.match(err, /cannot fetch http:\/\/127\.0\.0\.1:\d+\/metadata: ECONNREFUSED/);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown option', [HAR, '--bogus'], /Unknown option '--bogus'/],
    ['--acs without a certificate', [HAR, '--acs', 'http://x.test/acs'], /--acs needs --cert or --metadata/],
    ['a missing certificate file', [HAR, '--cert', join(dir, 'none.pem')], /cannot read the certificate .*ENOENT/],
    ['a bad --now', [HAR, '--cert', IDP_CERT, '--now', 'yesterday'], /--now must be an ISO 8601 time/],
  ];
  for (const [what, argv, message] of usage) {
    it(`exits 2 for ${what}`, async () => {
      const { code, err } = await run(argv);
      assert.equal(code, 2);
      assert.match(err, message);
    });
  }

  it('prints its help with examples', async () => {
    const { code, out } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(out, /Examples:\n {2}sso-harness decode/);
  });

  it('is wired into the sso-harness command', async () => {
    const exec = promisify(execFile);
    const { stdout } = await exec('npx', ['tsx', 'src/cli/main.ts', 'decode', HAR, '--cert', IDP_CERT], { env: { ...process.env, NO_COLOR: '1' } });
    assert.match(stdout, /2 SAML messages \(har\); every check run passed/);
    const failed = (await exec('npx', ['tsx', 'src/cli/main.ts', 'decode', 'not*base64']).then(
      () => assert.fail('expected a non-zero exit'),
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    assert.equal(failed.code, 3);
    assert.match(failed.stderr, /sso-harness decode: the input is not base64/);
  });
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function requestIdOf(url: string): string {
  const encoded = decodeURIComponent(/SAMLRequest=([^&]*)/.exec(url)?.[1] ?? '');
  return /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8'))?.[1] ?? '';
}
