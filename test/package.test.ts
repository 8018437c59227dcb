// The npm package as a user installs it: packed from dist/ (`npm test` builds it first; this file
// never builds, so it does not race the build), installed offline into an empty project, then
// used there the three ways a user uses it: the `sso-harness` command, `import` and `require`, and
// TypeScript against its declarations. One pack and one install serve every test here.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installOffline, pack, projectPackage, root } from './support/packed-package.js';
import { childEnv, run } from './support/run-process.js';

const ADMIN_TOKEN = 'package-test-token-0123456789abcdef';
const BUILT = ['dist/index.js', 'dist/cjs/index.js', 'dist/cli/main.js'];

/** Every file package.json names for a user: main, types, bin and each `exports` target. */
function namedFiles(): string[] {
  const targets = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(targets) : [];
  const names = [projectPackage.main, projectPackage.types, ...Object.values(projectPackage.bin ?? {}), ...targets(projectPackage.exports)];
  return [...new Set(names.filter((n): n is string => n !== undefined).map((n) => n.replace(/^\.\//, '')))];
}

interface Started {
  child: ChildProcess;
  url: string;
  /** Everything it printed, both streams. */
  output: () => string;
  /** When every process of the group has let go of the output (the server under npx included). */
  closed: Promise<void>;
}

/** `npx sso-harness start ARGS` in the consumer; resolves once the banner shows its URL. */
function startInstalled(cwd: string, args: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    // Its own process group, so stopping it reaches the command under npx.
    const child = spawn('npx', ['--offline', 'sso-harness', 'start', ...args], {
      cwd,
      env: childEnv({ SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url && out.includes('Admin API token')) resolve({ child, url, output: () => out, closed });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sso-harness start exited with ${code}: ${out}`)));
  });
}

/** SIGTERM to the group (npx and the server it runs); resolves with the output once both are gone. */
async function stop(started: Started): Promise<string> {
  if (started.child.pid !== undefined) {
    try {
      process.kill(-started.child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await started.closed;
  return started.output();
}

describe('the npm package, packed and installed offline into an empty project', function () {
  this.timeout(240_000);
  let dir: string;
  let app: string;
  let packed: string[];

  before(async function () {
    this.timeout(240_000);
    const missing = BUILT.filter((f) => !existsSync(join(root, f)));
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: build first (npm test does; or node scripts/build-if-stale.mjs)`);
    dir = await mkdtemp(join(tmpdir(), 'sso-harness-package-'));
    app = join(dir, 'app');
    const { tarball, files } = await pack(dir);
    packed = files;
    await installOffline(app, tarball);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds every file main, types, exports and bin name, and the error code reference', () => {
    const named = namedFiles();
    assert.ok(named.includes('dist/cjs/index.js') && named.includes('dist/cli/main.js'), named.join(', '));
    for (const file of [...named, 'docs/errors.md', 'dist/cjs/package.json']) assert.ok(packed.includes(file), `${file} is not in the package`);
    assert.ok(!packed.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'sources and tests stay out');
    assert.ok(!packed.includes('dist/.build-stamp'));
  });

  it('installs nothing for TypeScript but what the package depends on', () => {
    assert.deepEqual(readdirSync(join(app, 'node_modules/@types')), ['node']);
    assert.ok(!existsSync(join(app, 'node_modules/typescript')));
  });

  it('prints its version for --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run('npx', ['--offline', 'sso-harness', flag], app);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${projectPackage.version}\n`);
    }
  });

  it('starts with `npx sso-harness start --store memory`, serves metadata, and logs in through the imported library', async () => {
    const started = await startInstalled(app, ['--store', 'memory', '--port', '0', '--data', join(dir, 'data-memory')]);
    try {
      const metadata = await fetch(`${started.url}/idp/apps/ringcentral/metadata`);
      assert.equal(metadata.status, 200);
      assert.match(await metadata.text(), /<(md:)?EntityDescriptor[^>]+entityID=/);

      await writeFile(
        join(app, 'login.mjs'),
        `import { headlessLogin, DEMO_USERS } from 'sso-harness';
const [spBaseUrl] = process.argv.slice(2);
const results = [];
for (const user of DEMO_USERS) {
  const r = await headlessLogin({ spBaseUrl, email: user.email, password: user.password });
  results.push({ email: user.email, bound: user.bound, ok: r.ok, session: r.session, code: r.error?.code });
}
console.log(JSON.stringify(results));
`,
      );
      const r = await run(process.execPath, ['login.mjs', started.url], app);
      assert.equal(r.code, 0, r.stderr);
      const results = JSON.parse(r.stdout) as { email: string; bound: boolean; ok: boolean; session?: { email?: string }; code?: string }[];
      assert.ok(results.some((u) => u.bound) && results.some((u) => !u.bound), 'the demo has a bound and an unbound user');
      for (const u of results) {
        assert.equal(u.ok, u.bound, `${u.email}: ${JSON.stringify(u)}`);
        if (u.bound) assert.equal(u.session?.email, u.email);
        else assert.ok(u.code, `${u.email} is refused with an error code`);
      }
    } finally {
      const output = await stop(started);
      assert.match(output, /SIGTERM: finishing requests in flight, closing the store/);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
    }
  });

  it('is required from CommonJS: the same named exports, one file of the package loaded, its own error class thrown', async () => {
    await writeFile(
      join(app, 'require.cjs'),
      `const lib = require('sso-harness');
(async () => {
  const harness = await lib.startHarness({ store: 'memory' });
  const login = await harness.login('ann@acme.test');
  const users = await harness.admin.idp.listUsers(); // a route module loaded on first use
  await harness.close();
  let thrown;
  try { lib.resolveConfig({ port: -1 }); } catch (err) { thrown = err; }
  const loaded = Object.keys(require.cache).filter((p) => p.includes('/node_modules/sso-harness/'));
  const esm = await import('sso-harness');
  console.log(JSON.stringify({
    cjs: Object.keys(lib).sort(), esm: Object.keys(esm).sort(), loaded,
    login: { ok: login.ok, email: login.session && login.session.email, trace: login.trace.length },
    users: users.length, thrown: thrown instanceof lib.HarnessError ? thrown.code : String(thrown),
  }));
})().catch((err) => { console.error(err); process.exit(1); });
`,
    );
    const r = await run(process.execPath, ['require.cjs'], app);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { cjs: string[]; esm: string[]; loaded: string[]; login: { ok: boolean; email?: string; trace: number }; users: number; thrown: string };
    assert.deepEqual(out.cjs, out.esm);
    for (const name of ['startHarness', 'headlessLogin', 'createApp', 'HarnessError', 'IdpAdminClient']) assert.ok(out.cjs.includes(name), name);
    assert.deepEqual(out.loaded, [join(app, 'node_modules/sso-harness/dist/cjs/index.js')]);
    assert.deepEqual(out.login, { ok: true, email: 'ann@acme.test', trace: out.login.trace });
    assert.ok(out.login.trace > 0);
    assert.ok(out.users > 0);
    assert.equal(out.thrown, 'CONFIG_INVALID');
  });

  it('compiles a strict TypeScript consumer against its declarations with skipLibCheck off', async () => {
    await writeFile(
      join(app, 'consumer.ts'),
      `import { startHarness, createApp, IdpAdminClient, type Harness, type LoginOutcome } from 'sso-harness';
const harness: Harness = await startHarness({ demo: true, store: 'memory' });
const login: LoginOutcome = await harness.login('ann@acme.test');
const code: string | undefined = login.error?.code;
const admin: IdpAdminClient = harness.admin.idp;
const handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void = await createApp({ store: 'memory' });
// @ts-expect-error the declarations are real: a URL is not a number
const wrong: number = harness.url;
console.log(code, admin, handler, wrong);
await harness.close();
`,
    );
    await writeFile(
      join(app, 'consumer-require.cts'),
      `import sso = require('sso-harness');
async function main(): Promise<sso.Harness> {
  return sso.startHarness({ store: 'memory' });
}
void main();
`,
    );
    const compilerOptions = { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false, noEmit: true };
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts', 'consumer-require.cts'] }));
    const r = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('explains in one line that better-sqlite3 is not built when the SQLite store is asked for', async () => {
    assert.ok(!existsSync(join(app, 'node_modules/better-sqlite3/build')), 'the consumer declined its install script');
    const r = await run('npx', ['--offline', 'sso-harness', 'start', '--store', 'sqlite', '--port', '0', '--data', join(dir, 'data-sqlite')], app, {
      SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /^sso-harness: STORE_UNAVAILABLE: cannot use the SQLite database .*: better-sqlite3's native module is not built for this Node; run `npm rebuild better-sqlite3`.*--store memory/);
  });
});
