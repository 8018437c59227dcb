import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/cli/start-command.js';
import { parseConfigFile } from '../../src/harness/config-file.js';
import { HarnessError } from '../../src/errors.js';
import { fixturePem } from '../support/keys.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/harness.config.yaml', import.meta.url));
const ADMIN_TOKEN = 'start-config-test-token-0123456789';
const overrides = { keys: { idp: fixturePem('idp'), sp: fixturePem('sp') }, passwordHashCost: { N: 1024, r: 8, p: 1 }, log: () => undefined };

const JSON_CONFIG = {
  adminToken: ADMIN_TOKEN,
  idpFlavor: 'okta',
  clockOffsetMs: { idp: 3 * 60_000 },
  idpRequests: { clockSkewSec: 60 },
  users: [{ email: 'gus@initech.test', firstName: 'Gus', lastName: 'Ops', password: 'gus-password-1', number: '+15125550100' }],
  groups: [{ name: 'Everyone', members: ['gus@initech.test'] }],
  applications: [{ template: 'ringcentral', id: 'rc', groups: ['Everyone'] }],
  accounts: [{ id: 'initech', name: 'Initech', users: [{ email: 'gus@initech.test', firstName: 'Gus', lastName: 'Ops', number: '+15125550100' }] }],
  wire: [{ app: 'rc', account: 'initech' }],
};

async function api<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json' } });
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

function problemsOf(text: string, file: string): string[] {
  try {
    parseConfigFile(text, file);
  } catch (err) {
    assert.ok(err instanceof HarnessError, `not a HarnessError: ${String(err)}`);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.message.split('\n');
  }
  assert.fail('the config was accepted');
}

describe('start --config', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sso-harness-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('seeds and wires the harness from the example YAML file', async () => {
    const out: string[] = [];
    const { exitCode, running } = await startServer({
      argv: ['--config', EXAMPLE, '--port', '0', '--data', dir],
      out: (t) => out.push(t),
      overrides: { ...overrides, adminToken: ADMIN_TOKEN },
    });
    assert.equal(exitCode, 0);
    assert.ok(running);
    try {
      assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(out.join(''), /Seeded from .*: 3 IdP users, 1 applications, 1 SP accounts/);
      const users = await api<{ email: string }[]>(running.url, '/idp/api/users');
      assert.deepEqual(users.map((u) => u.email).sort(), ['dana@globex.test', 'eli@globex.test', 'fay@globex.test']);
      const account = await api<{ sso: { enabled: boolean; clockSkewSec: number }; scim: { digitalLines: number } }>(running.url, '/sp/api/accounts/globex');
      assert.equal(account.sso.enabled, true);
      assert.equal(account.sso.clockSkewSec, 120);
      assert.equal(account.scim.digitalLines, 5);
      const app = await api<{ groups: string[] }>(running.url, '/idp/api/apps/ringcentral');
      assert.equal(app.groups.length, 1);
    } finally {
      await running.close();
    }
  });

  it('seeds from a JSON file, with the flavour, the IdP clock offset and the IdP request tolerance it names', async () => {
    const file = join(dir, 'harness.json');
    await writeFile(file, JSON.stringify(JSON_CONFIG, null, 2));
    const { exitCode, running } = await startServer({ argv: ['--config', file, '--port', '0', '--data', join(dir, 'json')], out: () => undefined, overrides });
    assert.equal(exitCode, 0);
    assert.ok(running);
    try {
      assert.equal(running.config.idpFlavor, 'okta');
      assert.equal(running.app.harness.idp.clock.offsetMs, 3 * 60_000);
      assert.equal(running.app.harness.sp.clock.offsetMs, 0);
      assert.equal(running.config.idp.clockSkewSec, 60);
      assert.equal(running.config.idp.requestMaxAgeSec, 300);
      const accounts = await api<{ id: string; sso: { enabled: boolean } }[]>(running.url, '/sp/api/accounts');
      assert.deepEqual(accounts.map((a) => [a.id, a.sso.enabled]), [['initech', true]]);
    } finally {
      await running.close();
    }
  });

  it('exits with 2 and one file:line: field: message line per problem', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, ['port: 99999', 'users:', '  - email: not-an-email', '    firstName: Zed', '    lastName: Z', '    password: long-enough-1', 'colour: blue', ''].join('\n'));
    const err: string[] = [];
    const { exitCode, running } = await startServer({ argv: ['--config', file], err: (t) => err.push(t), overrides });
    assert.equal(exitCode, 2);
    assert.equal(running, undefined);
    const lines = err.join('').trim().split('\n');
    assert.match(lines[0] ?? '', /^sso-harness: CONFIG_INVALID: /);
    assert.ok(lines.includes(`${file}:1: port: Too big: expected number to be <=65535`), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`${file}:3: users.0.email: `)), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`${file}:7: (root): `) && l.includes('colour')), lines.join('\n'));
    assert.ok(!err.join('').includes('    at '), 'no stack trace');
  });

  it('names the JSON line of a bad field and of a dangling reference', () => {
    const bad = structuredClone(JSON_CONFIG) as Record<string, unknown> & typeof JSON_CONFIG;
    (bad.accounts[0] as { sso?: unknown }).sso = { loginMode: 'sometimes' };
    let text = JSON.stringify(bad, null, 2);
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    let problems = problemsOf(text, 'h.json');
    assert.ok(problems.some((p) => p.startsWith(`h.json:${lineOf('"loginMode"')}: accounts.0.sso.loginMode: `)), problems.join('\n'));

    text = JSON.stringify({ ...JSON_CONFIG, groups: [{ name: 'Everyone', members: ['nobody@initech.test'] }] }, null, 2);
    problems = problemsOf(text, 'h.json');
    assert.deepEqual(problems, [`h.json:${lineOf('nobody@initech.test')}: groups.0.members.0: no user with email nobody@initech.test in users`]);
  });

  it('reads clockSkewMinutes, the older name of clockOffsetMs, in minutes, and refuses both at once', () => {
    const { clockOffsetMs: _, ...rest } = JSON_CONFIG;
    const older = parseConfigFile(JSON.stringify({ ...rest, clockSkewMinutes: { idp: 3, sp: -1.5 } }), 'h.json');
    assert.deepEqual(older.options.clockOffsetMs, { idp: 180_000, sp: -90_000 });
    const text = JSON.stringify({ ...JSON_CONFIG, clockSkewMinutes: { idp: 3 } }, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"clockSkewMinutes"')) + 1;
    assert.deepEqual(problemsOf(text, 'h.json'), [`h.json:${line}: clockSkewMinutes: is the older name of clockOffsetMs: give one of them`]);
  });

  it('refuses a baseUrl that is not an http(s) URL, naming its line', () => {
    const problems = problemsOf(['port: 8400', 'baseUrl: ftp://sso.example.test', ''].join('\n'), 'u.yaml');
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^u\.yaml:2: baseUrl: must be the public http\(s\) URL /);
  });

  it('reports a JSON syntax error with its line', () => {
    const problems = problemsOf('{\n  "port": 8400,\n  "users": [,]\n}\n', 'broken.json');
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^broken\.json:3: \(syntax\): not valid JSON/);
  });

  it('refuses wire: true with two applications', () => {
    const text = ['applications:', '  - { id: a }', '  - { id: b }', 'accounts:', '  - { id: x, name: X }', 'wire: true', ''].join('\n');
    const problems = problemsOf(text, 'w.yaml');
    assert.deepEqual(problems.filter((p) => p.includes('wire')).map((p) => p.split(': ').slice(0, 2).join(': ')), ['w.yaml:6: wire']);
  });

  it('refuses an unknown --idp-flavor with status 2 before listening', async () => {
    const err: string[] = [];
    const { exitCode, running } = await startServer({ argv: ['--idp-flavor', 'onelogin', '--port', '0'], err: (t) => err.push(t), overrides });
    assert.equal(exitCode, 2);
    assert.equal(running, undefined);
    assert.match(err.join(''), /--idp-flavor must be jumpcloud, okta or entra, not onelogin/);
  });
});
