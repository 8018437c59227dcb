// scripts/build-if-stale.mjs, the freshness check `npm install`, `npm start` and `npm test` run
// before they need dist/. Run here in a copy of the project's shape whose scripts/build.mjs only
// records that it ran, so no test builds the real dist/ (the suite's build runs once, before it).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './support/run-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// Stands in for the real build: leaves a finished build's stamp and counts its runs.
const FAKE_BUILD = `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/index.js', '');
writeFileSync('dist/cli/main.js', '');
writeFileSync('dist/.build-stamp', JSON.stringify({ seconds: 7 }));
appendFileSync('builds.log', 'built\\n');
`;

const INPUTS = ['scripts/build-if-stale.mjs', 'scripts/build-inputs.mjs', 'scripts/build.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'src/index.ts', 'src/http/app.ts'];

/** Runs the check from another folder, as npm may; its output, both streams. */
async function check(project: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await run(process.execPath, [join(project, 'scripts/build-if-stale.mjs'), ...args], tmpdir());
  return { code: r.code, out: r.stdout + r.stderr };
}

async function builds(project: string): Promise<number> {
  return existsSync(join(project, 'builds.log')) ? (await readFile(join(project, 'builds.log'), 'utf8')).split('\n').filter(Boolean).length : 0;
}

/** Sets a file's modification time `secondsAgo` seconds back. */
async function age(path: string, secondsAgo: number): Promise<void> {
  const t = Date.now() / 1000 - secondsAgo;
  await utimes(path, t, t);
}

describe('scripts/build-if-stale.mjs', function () {
  this.timeout(30_000);
  let project: string;

  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'sso-harness-freshness-'));
    await mkdir(join(project, 'scripts'));
    await mkdir(join(project, 'src/http'), { recursive: true });
    for (const name of ['build-if-stale.mjs', 'build-inputs.mjs']) await copyFile(join(root, 'scripts', name), join(project, 'scripts', name));
    await writeFile(join(project, 'scripts/build.mjs'), FAKE_BUILD);
    for (const file of INPUTS.slice(3)) await writeFile(join(project, file), '{}\n');
    // Every input two minutes old, so a test's own change is the newest.
    for (const file of INPUTS) await age(join(project, file), 120);
    // The real typescript, found the way the script looks for it.
    await symlink(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
  });

  afterEach(() => rm(project, { recursive: true, force: true }));

  it('builds on the first run and says so', async () => {
    const r = await check(project);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^building dist\/ \(first run, ~20 s\)…$/m);
    assert.equal(await builds(project), 1);
  });

  it('does nothing when no input is newer than the last build', async () => {
    await check(project);
    const r = await check(project);
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out, '');
    assert.equal(await builds(project), 1);
  });

  it('rebuilds when a source changed since the last build, naming it and the last build time', async () => {
    await check(project);
    await age(join(project, 'dist/.build-stamp'), 60);
    await age(join(project, 'src/http/app.ts'), 30);
    const r = await check(project);
    assert.match(r.out, /^building dist\/ \(src\/http\/app\.ts changed since the last build, ~7 s\)…$/m);
    assert.equal(await builds(project), 2);
  });

  it('rebuilds a dist/ that has no finished build', async () => {
    await mkdir(join(project, 'dist'));
    const r = await check(project);
    assert.match(r.out, /dist\/ has no finished build/);
    assert.equal(await builds(project), 1);
  });

  it('without typescript, runs a stale dist/ as it is and refuses a missing one, except on install', async () => {
    await rm(join(project, 'node_modules'));
    let r = await check(project);
    assert.equal(r.code, 1);
    assert.match(r.out, /dist\/ is missing and typescript is not installed to build it; run `npm install`/);
    // As npm's prepare: an install without the dev dependencies goes on.
    r = await check(project, '--on-install');
    assert.equal(r.code, 0);
    assert.match(r.out, /dist\/ is missing and typescript is not installed/);

    await symlink(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    await check(project);
    await rm(join(project, 'node_modules'));
    await age(join(project, 'dist/.build-stamp'), 60);
    await age(join(project, 'src/index.ts'), 30);
    r = await check(project);
    assert.equal(r.code, 0);
    assert.match(r.out, /not rebuilding dist\/ \(src\/index\.ts changed since the last build\): typescript is not installed/);
    assert.equal(await builds(project), 1);
  });
});
