import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AUDIT_GROUP } from '../src/client/audit/admin.js';
import { AuditError, auditSp, type AuditReport, type AuditSpOptions } from '../src/client/audit/audit-sp.js';
import { formatScorecard, runAuditSpCommand } from '../src/cli/audit-sp-command.js';
import type { CliIo as CommandIo } from '../src/cli/output.js';
import { DEMO_APP_ID, seedDemo } from '../src/harness/demo.js';
import type { RunningHarness } from '../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from './support/harness.js';
import { startLaxSp, type LaxSp } from './support/lax-sp.js';

const LAX_APP = 'lax-sp';
const LAX_USER = { email: 'eve@lax.test', password: 'eve-password-1' };
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface ListedScenario {
  id: string;
  spProfile?: 'ringcentral';
  expect: { verdict: 'accept' | 'reject'; code?: string };
}

/** The attacks the issue names; each is checked when the catalogue has it. */
const NAMED_ATTACKS = ['signature-removed', 'wrong-audience', 'replay-previous'];

function captureIo(env: NodeJS.ProcessEnv = {}): CommandIo & { out: () => string; err: () => string } {
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

/** Runs `sso-harness audit-sp` as a user would, in a child process (asynchronously: the servers live in this one). */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit-sp', ...args], {
      cwd: repoRoot,
      env: { ...process.env, SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('auditSp and sso-harness audit-sp', () => {
  let server: RunningHarness;
  let lax: LaxSp;
  let scenarios: ListedScenario[];
  let ours: () => AuditSpOptions;
  let careless: () => AuditSpOptions;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    scenarios = (await admin(server, 'get', '/idp/api/scenarios').expect(200)).body as ListedScenario[];

    // The lax SP, set up at the IdP as an administrator would: a custom SAML app from its metadata.
    lax = await startLaxSp({ idpSsoUrl: `${server.url}/idp/apps/${LAX_APP}/sso` });
    await admin(server, 'post', '/idp/api/apps').send({ template: 'custom-saml', id: LAX_APP, displayLabel: 'Careless SP' }).expect(201);
    await admin(server, 'put', `/idp/api/apps/${LAX_APP}/sp-metadata`).set('content-type', 'application/xml').send(lax.metadata).expect(200);
    await admin(server, 'patch', `/idp/api/apps/${LAX_APP}`).send({ attributes: [{ name: 'email', property: 'email' }] }).expect(200);
    const user = await admin(server, 'post', '/idp/api/users').send({ ...LAX_USER, firstName: 'Eve', lastName: 'Example' }).expect(201);
    const group = await admin(server, 'post', '/idp/api/groups').send({ name: 'Careless SP users', members: [user.body.id] }).expect(201);
    await admin(server, 'put', `/idp/api/apps/${LAX_APP}/groups/${group.body.id}`).expect(200);

    ours = () => ({
      harnessUrl: server.url,
      adminToken: ADMIN_TOKEN,
      app: DEMO_APP_ID,
      loginUrl: `${server.url}/sp/login?email={email}`,
      email: 'bob@acme.test',
      password: 'bob-password-1',
    });
    careless = () => ({
      harnessUrl: server.url,
      adminToken: ADMIN_TOKEN,
      app: LAX_APP,
      loginUrl: `${lax.url}/login`,
      email: LAX_USER.email,
      password: LAX_USER.password,
    });
  });
  after(async () => {
    await lax?.close();
    await server?.close();
  });

  const expectedCode = (id: string): string | undefined => scenarios.find((s) => s.id === id)?.expect.code;

  describe('against our own SP over HTTP', () => {
    let report: AuditReport;
    before(async () => {
      report = await auditSp(ours());
    });

    it('passes every scenario and reports no accepted attack', () => {
      const failed = report.rows.filter((r) => !r.pass).map((r) => `${r.scenario}: expected ${r.expected}, observed ${r.observed} (${r.detail})`);
      assert.deepEqual(failed, []);
      assert.deepEqual(report.acceptedAttacks, []);
      assert.equal(report.failed, 0);
      assert.equal(report.passed, scenarios.length);
    });

    it('runs one row per listed scenario, in the order the harness lists them', () => {
      assert.deepEqual(
        report.rows.map((r) => r.scenario),
        scenarios.map((s) => s.id),
      );
    });

    it('learns acceptance from the genuine login: a 303 from /sp/acs to /sp/home', () => {
      assert.equal(report.acsUrl, `${server.url}/sp/acs`);
      assert.equal(report.baseline.status, 303);
      assert.equal(report.baseline.location, `${server.url}/sp/home`);
      assert.match(report.acceptance, /303.*\/sp\/home/);
    });

    it('observes the genuine variants as accepted', () => {
      const positives = report.rows.filter((r) => r.expected === 'accept');
      assert.ok(positives.some((r) => r.scenario === 'valid'));
      for (const r of positives) assert.equal(r.observed, 'accept', `${r.scenario}: ${r.detail}`);
    });

    it('shows, for each refused scenario, the error code our SP answered with', () => {
      const refused = report.rows.filter((r) => r.expected === 'reject');
      for (const r of refused) {
        assert.equal(r.observed, 'reject', r.scenario);
        assert.equal(r.acs?.code, expectedCode(r.scenario), `${r.scenario}: ${r.detail}`);
        assert.match(r.detail, new RegExp(`^HTTP 4\\d\\d ${r.acs?.code}$`), r.scenario);
      }
      for (const [id, code] of [['signature-removed', 'SAML_SIGNATURE_MISSING'], ['wrong-audience', 'SAML_AUDIENCE']]) {
        const row = report.rows.find((r) => r.scenario === id);
        if (row) assert.match(row.detail, new RegExp(code ?? ''), id);
      }
    });
  });

  describe('against a lax SP that checks nothing', () => {
    let report: AuditReport;
    before(async () => {
      report = await auditSp({ ...careless(), spMetadata: lax.metadata });
    });

    it('reports signature exclusion, wrong audience and the replay as accepted attacks', () => {
      const named = NAMED_ATTACKS.filter((id) => scenarios.some((s) => s.id === id));
      for (const id of named) assert.ok(report.acceptedAttacks.includes(id), `${id} was not reported accepted`);
      if (scenarios.some((s) => s.expect.verdict === 'reject')) assert.ok(report.acceptedAttacks.length > 0);
      for (const id of report.acceptedAttacks) {
        const row = report.rows.find((r) => r.scenario === id);
        assert.deepEqual([row?.expected, row?.observed, row?.pass], ['reject', 'accept', false], id);
        assert.match(row?.detail ?? '', /^HTTP 302 → \/home$/);
      }
      assert.equal(report.failed, report.rows.filter((r) => !r.pass).length);
    });

    it('reports RingCentral\'s own attribute rules apart from attacks, and leaves them out for a generic SP', async () => {
      const profiled = scenarios.filter((s) => s.spProfile === 'ringcentral' && s.expect.verdict === 'reject').map((s) => s.id);
      assert.deepEqual(report.acceptedProfileFaults, profiled);
      for (const id of profiled) assert.ok(!report.acceptedAttacks.includes(id), id);
      assert.equal(report.profile, 'ringcentral');
      const picked = ['valid', 'missing-number', 'signature-removed'].filter((id) => scenarios.some((s) => s.id === id));
      const generic = await auditSp({ ...careless(), spMetadata: lax.metadata, scenarios: picked, profile: 'generic' });
      assert.equal(generic.profile, 'generic');
      assert.ok(!generic.rows.some((r) => r.scenario === 'missing-number'));
      assert.deepEqual(generic.acceptedProfileFaults, []);
    });

    it('passes the genuine response', () => {
      const valid = report.rows.find((r) => r.scenario === 'valid');
      assert.deepEqual([valid?.observed, valid?.pass], ['accept', true]);
      assert.equal(report.acsUrl, lax.acsUrl);
      assert.deepEqual(report.baseline, { status: 302, location: `${lax.url}/home` });
    });

    it('really delivered each accepted response to the lax SP', () => {
      const accepted = report.rows.filter((r) => r.observed === 'accept').length;
      assert.ok(lax.signedIn.length >= accepted + 1, `${lax.signedIn.length} sign-ins for ${accepted} accepted rows and the baseline`);
    });

    it('says it uploaded the SP metadata', () => {
      assert.ok(report.notes.some((n) => /uploaded the SP metadata/.test(n)));
    });
  });

  describe('setup and failures', () => {
    it('creates a missing IdP user bound through the audit group, says so, and deletes it afterwards', async () => {
      const email = 'mallory@lax.test';
      const report = await auditSp({ ...careless(), email, password: undefined, scenarios: ['valid'] });
      assert.equal(report.rows[0]?.pass, true, report.rows[0]?.detail);
      assert.ok(report.notes.some((n) => n.includes(email) && n.includes(AUDIT_GROUP)), report.notes.join('\n'));
      const users = (await admin(server, 'get', '/idp/api/users').expect(200)).body as { email: string }[];
      assert.ok(!users.some((u) => u.email === email), 'the temporary user is gone');
      const groups = (await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[];
      const group = groups.find((g) => g.name === AUDIT_GROUP);
      const app = (await admin(server, 'get', `/idp/api/apps/${LAX_APP}`).expect(200)).body as { groups: string[] };
      assert.ok(group && app.groups.includes(group.id), 'the audit group is bound to the application');
    });

    it('scores a scenario it cannot drive as an error row and leaves no scenario queued', async () => {
      const id = scenarios.find((s) => s.id !== 'valid' && !/replay|previous/.test(s.id) && s.expect.verdict === 'reject')?.id ?? 'valid';
      let starts = 0;
      const flaky: typeof fetch = (input, init) => {
        if ((input instanceof Request ? input.url : String(input)).startsWith(lax.url + '/login') && ++starts === 3) return Promise.reject(new TypeError('fetch failed'));
        return fetch(input, init);
      };
      const report = await auditSp({ ...careless(), scenarios: ['valid', id], fetch: flaky });
      assert.deepEqual(
        report.rows.map((r) => [r.scenario, r.observed, r.pass]),
        [
          ['valid', 'accept', true],
          [id, 'error', false],
        ],
      );
      assert.match(report.rows[1]?.detail ?? '', /fetch failed/);
      const idp = server.app.harness.idp;
      assert.equal(await idp.scenarios.peek(await idp.apps.get(LAX_APP)), 'valid', 'the queued scenario was cleared');
    });

    it('judges acceptance by the page the browser ends on when given a body rule', async () => {
      const picked = ['valid', 'signature-removed'].filter((id) => scenarios.some((s) => s.id === id));
      const report = await auditSp({ ...careless(), accept: { body: /^Welcome, / }, scenarios: picked });
      assert.match(report.acceptance, /final page matches \/\^Welcome, \//);
      assert.deepEqual(
        report.rows.map((r) => r.observed),
        picked.map(() => 'accept'),
      );
      await assert.rejects(auditSp({ ...careless(), accept: { body: /^Goodbye/ }, scenarios: picked }), {
        code: 'AUDIT_BASELINE',
        message: /does not meet the acceptance rule/,
      });
    });

    it('stops when aborted mid-scenario, and clears the scenario it had queued', async () => {
      const id = scenarios.find((s) => s.id !== 'valid' && !/replay|previous/.test(s.id))?.id ?? 'valid';
      const controller = new AbortController();
      let starts = 0;
      const interrupting: typeof fetch = (input, init) => {
        if ((input instanceof Request ? input.url : String(input)).startsWith(lax.url + '/login') && ++starts === 3) controller.abort();
        return fetch(input, init);
      };
      await assert.rejects(auditSp({ ...careless(), scenarios: ['valid', id], fetch: interrupting, signal: controller.signal }), { name: 'AbortError' });
      const idp = server.app.harness.idp;
      assert.equal(await idp.scenarios.peek(await idp.apps.get(LAX_APP)), 'valid');
    });

    it('stops with AUDIT_BASELINE when the genuine login fails', async () => {
      await assert.rejects(auditSp({ ...ours(), password: 'wrong-password' }), (err: unknown) => {
        assert.ok(err instanceof AuditError);
        assert.equal(err.code, 'AUDIT_BASELINE');
        assert.match(err.message, /\/idp\/login answered HTTP 401 \(.*password/i);
        return true;
      });
    });

    it('stops with AUDIT_OPTIONS on an unknown scenario id, and when an existing user comes without a password', async () => {
      await assert.rejects(auditSp({ ...ours(), scenarios: ['no-such-scenario'] }), { code: 'AUDIT_OPTIONS', message: /no-such-scenario/ });
      await assert.rejects(auditSp({ ...ours(), password: undefined }), { code: 'AUDIT_OPTIONS', message: /bob@acme\.test exists/ });
    });
  });

  describe('the audit-sp command', () => {
    const oursArgs = (): string[] => ['--harness', server.url, '--app', DEMO_APP_ID, '--login-url', `${server.url}/sp/login?email={email}`, '--email', 'bob@acme.test', '--password', 'bob-password-1'];
    const laxArgs = (): string[] => ['--harness', server.url, '--app', LAX_APP, '--login-url', `${lax.url}/login`, '--email', LAX_USER.email, '--password', LAX_USER.password];

    it('exits 1 for the lax SP and prints the report as one JSON object', async () => {
      const io = captureIo({ SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN });
      const code = await runAuditSpCommand([...laxArgs(), '--json'], io);
      const report = JSON.parse(io.out()) as AuditReport;
      assert.equal(code, scenarios.some((s) => s.expect.verdict === 'reject') ? 1 : 0, io.err());
      assert.ok(report.failed > 0 || code === 0);
      for (const id of NAMED_ATTACKS.filter((a) => scenarios.some((s) => s.id === a))) assert.ok(report.acceptedAttacks.includes(id), id);
      assert.equal(report.rows.length, scenarios.length);
      assert.match(io.err(), /\[1\/\d+\] valid: accept/, 'progress goes to stderr');
    });

    it('exits 0 for our SP and prints the scorecard with a summary line', async () => {
      const io = captureIo();
      const code = await runAuditSpCommand([...oursArgs(), '--token', ADMIN_TOKEN], io);
      assert.equal(code, 0, io.err());
      const out = io.out();
      assert.match(out, /^scenario +row +expected +observed +result +detail$/m);
      assert.match(out, /^valid +accept +accept +pass +HTTP 303 → \/sp\/home$/m);
      assert.match(out, new RegExp(`^${scenarios.length} scenarios: ${scenarios.length} passed, 0 failed\\. Every attack was rejected\\.$`, 'm'));
      assert.doesNotMatch(out, /\x1b\[/, 'no colour when stdout is not a terminal');
    });

    it('runs as `sso-harness audit-sp`: exit 1 for the lax SP, 0 for ours, JSON on stdout', async () => {
      const picked = ['valid', ...NAMED_ATTACKS].filter((id) => scenarios.some((s) => s.id === id));
      const scenarioArgs = picked.flatMap((id) => ['--scenario', id]);
      const [laxRun, oursRun] = [await runCli([...laxArgs(), ...scenarioArgs, '--json']), await runCli([...oursArgs(), ...scenarioArgs, '--json'])];
      assert.equal(laxRun.code, picked.length > 1 ? 1 : 0, laxRun.stderr);
      const attacks = scenarios.map((s) => s.id).filter((id) => id !== 'valid' && picked.includes(id));
      assert.deepEqual((JSON.parse(laxRun.stdout) as AuditReport).acceptedAttacks, attacks);
      assert.equal(oursRun.code, 0, oursRun.stderr);
      assert.deepEqual((JSON.parse(oursRun.stdout) as AuditReport).rows.map((r) => r.pass), picked.map(() => true));
    });

    it('finds the harness at --url or $SSO_HARNESS_URL as the other commands do, --harness being another name for --url', async () => {
      const withoutHarness = oursArgs().slice(2);
      const fromEnv = captureIo({ SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN, SSO_HARNESS_URL: server.url });
      assert.equal(await runAuditSpCommand([...withoutHarness, '--scenario', 'valid'], fromEnv), 0, fromEnv.err());
      // The flag wins over the environment, which here leads nowhere.
      const flag = captureIo({ SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN, SSO_HARNESS_URL: `http://127.0.0.1:${await closedPort()}` });
      assert.equal(await runAuditSpCommand([...withoutHarness, '--url', server.url, '--scenario', 'valid'], flag), 0, flag.err());
      const both = captureIo({ SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN });
      assert.equal(await runAuditSpCommand([...oursArgs(), '--url', 'http://127.0.0.1:1', '--scenario', 'valid'], both), 2);
      assert.match(both.err(), /^sso-harness audit-sp: --harness is another name for --url, and they differ .*: give one \(see --help\)\n$/);
    });

    it('takes the acceptance rule from --accept-status and --accept-location', async () => {
      const io = captureIo({ SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN });
      const code = await runAuditSpCommand([...laxArgs(), '--accept-status', '302', '--accept-location', '/home$', '--scenario', 'valid', '--json'], io);
      assert.equal(code, 0, io.err());
      const report = JSON.parse(io.out()) as AuditReport;
      assert.equal(report.acceptance, 'the ACS answers HTTP 302 and the ACS redirects to a URL matching /\\/home$/');
      assert.equal(report.rows[0]?.observed, 'accept');
    });

    it('exits 2 on bad usage, with one line and no stack trace', async () => {
      const cases: string[][] = [
        ['--app', DEMO_APP_ID],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--accept-location', '('],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--accept-status', 'ok'],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--scenario', 'no-such-scenario'],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--sp-metadata', '/nonexistent/metadata.xml'],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--no-such-option'],
        oursArgs(),
      ];
      for (const args of cases) {
        const io = captureIo();
        assert.equal(await runAuditSpCommand(args, io), 2, `${args.join(' ')}: ${io.err()}`);
        assert.match(io.err(), /^sso-harness audit-sp: [^\n]+\n$/, io.err());
      }
    });

    it('exits 3 with AUDIT_SETUP when the SP metadata URL times out while its body is arriving', async () => {
      const io = { ...captureIo(), fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (!(input instanceof Request ? input.url : String(input)).startsWith('http://sp.example.test/')) return fetch(input, init);
        // What fetch does when its timeout fires after the headers: the body stream errors with the signal's reason.
        return new Response(
          new ReadableStream<Uint8Array>({
            start: (c) => c.enqueue(new TextEncoder().encode('<md:EntityDescriptor ')),
            pull: (c) => c.error(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
          }),
          { status: 200 },
        );
      }) as typeof fetch };
      const code = await runAuditSpCommand([...oursArgs(), '--token', ADMIN_TOKEN, '--sp-metadata', 'http://sp.example.test/metadata'], io);
      assert.equal(code, 3, io.err());
      assert.match(io.err(), /cannot fetch the SP metadata from http:\/\/sp\.example\.test\/metadata: the body did not arrive within \d+ ms/);
      assert.doesNotMatch(io.err(), /\n\s+at /);
    });

    it('exits 3 when the harness is unreachable, refuses the token, or the genuine login fails', async () => {
      const port = await closedPort();
      const cases: string[][] = [
        [...oursArgs(), '--token', ADMIN_TOKEN, '--harness', `http://127.0.0.1:${port}`],
        [...oursArgs(), '--token', 'not-the-admin-token-000'],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--app', 'no-such-app'],
        [...oursArgs(), '--token', ADMIN_TOKEN, '--password', 'wrong-password'],
      ];
      for (const args of cases) {
        const io = captureIo();
        assert.equal(await runAuditSpCommand(args, io), 3, `${args.join(' ')}: ${io.err()}`);
        // Progress lines may come first; the error is one line, last.
        assert.match(io.err(), /(^|\n)sso-harness audit-sp: [^\n]+\n$/, io.err());
        assert.equal(io.err().match(/sso-harness audit-sp:/g)?.length, 1, io.err());
        assert.doesNotMatch(io.err(), /\n\s+at /);
      }
    });

    it('colours pass and FAIL only when asked (stdout is a terminal)', () => {
      const report: AuditReport = {
        app: 'x', acsUrl: 'http://sp.test/acs', acceptance: 'HTTP 302', baseline: { status: 302 }, notes: [],
        rows: [
          { scenario: 'valid', title: 't', kind: 'valid', expected: 'accept', observed: 'accept', pass: true, detail: 'HTTP 302' },
          { scenario: 'wrong-audience', title: 't', row: 30, kind: 'fault', expected: 'reject', observed: 'accept', pass: false, detail: 'HTTP 302' },
          { scenario: 'missing-number', title: 't', kind: 'fault', spProfile: 'ringcentral', expected: 'reject', observed: 'accept', pass: false, detail: 'HTTP 302' },
        ],
        passed: 1, failed: 2, acceptedAttacks: ['wrong-audience'], acceptedProfileFaults: ['missing-number'], profile: 'ringcentral',
      };
      assert.match(formatScorecard(report, true), /\x1b\[32mpass\s*\x1b\[0m[\s\S]*\x1b\[31mFAIL\s*\x1b\[0m/);
      const plain = formatScorecard(report, false);
      assert.doesNotMatch(plain, /\x1b/);
      assert.match(plain, /^3 scenarios: 1 passed, 2 failed: 1 attack accepted \(wrong-audience\); 1 RingCentral rule not enforced \(missing-number; --generic-sp leaves these out\)\.$/m);
    });

    it('prints the usage with examples and the exit codes', async () => {
      const io = captureIo();
      assert.equal(await runAuditSpCommand(['--help'], io), 0);
      assert.match(io.out(), /Examples:/);
      assert.match(io.out(), /Exit status:[\s\S]*0 +every scenario passed[\s\S]*3 +the audit could not run/);
    });
  });
});
