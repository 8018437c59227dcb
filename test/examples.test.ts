// The runnable examples of examples/, run the way a user runs them, against dist/ (`npm test`
// builds first). Every server listens on 127.0.0.1 and is stopped here.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as runProcess, type Run } from './support/run-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_TOKEN = 'examples-test-token-0123456789abcdef';

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runProcess(process.execPath, args, root, env);
}

/** Starts `sso-harness start` from dist/ and resolves with its URL once it printed it. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'start', ...args], {
      cwd: root,
      env: { ...process.env, SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url && out.includes('Admin API token')) resolve({ child, url, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`sso-harness start exited with ${code}: ${out}`)));
  });
}

describe('examples/', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/cli/main.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    }
  });

  it('runs the mocha suite against its own tiny SP', async () => {
    const r = await run(['node_modules/mocha/bin/mocha.js', '--no-config', '--timeout', '30000', 'examples/mocha-suite/login.test.js']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 passing/);
  });

  it('runs the node:test suite against its own tiny SP', async () => {
    const r = await run(['--test', 'examples/node-test/']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass 3/);
  });

  it('runs the fetch script against `sso-harness start --config examples/harness.config.yaml`', async () => {
    const data = await mkdtemp(join(tmpdir(), 'sso-harness-examples-'));
    const cli = await startCli(['--config', 'examples/harness.config.yaml', '--port', '0', '--data', data]);
    try {
      const r = await run(['examples/fetch-script/admin.mjs', 'xsw3'], { SSO_HARNESS_URL: cli.url, SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^3 IdP users:/);
      assert.match(r.stdout, /dana@globex\.test/);
      assert.match(r.stdout, /next response: xsw3 .* must reject with SAML_/);
    } finally {
      const exited = new Promise((resolve) => cli.child.once('exit', resolve));
      cli.child.kill('SIGTERM');
      await exited;
      await rm(data, { recursive: true, force: true });
    }
  });
});
