// `npm run build`: dist/ from nothing. The library and its declarations (tsc), the `sso-harness`
// command bundled for a fast start (bundle-cli.mjs), the CommonJS entry and its declarations in dist/cjs/ (bundle-library.mjs); then
// the stamp that build-if-stale.mjs compares the sources against. dist/ is emptied first so a
// source file that was removed leaves nothing behind in the package.
import { spawnSync } from 'node:child_process';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from './build-inputs.mjs';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const started = Date.now();
const require = createRequire(import.meta.url);

function run(what, args) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${what} failed${result.status === null ? ` (${result.signal})` : ''}\n`);
    process.exit(result.status ?? 1);
  }
}

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('build: typescript is not installed; run `npm install` (with the dev dependencies) first\n');
  process.exit(1);
}

rmSync('dist', { recursive: true, force: true });
run('tsc', [tsc, '-p', 'tsconfig.build.json']);
run('bundling the command', ['scripts/bundle-cli.mjs']);
run('bundling the CommonJS entry', ['scripts/bundle-library.mjs']);
const seconds = Math.round((Date.now() - started) / 100) / 10;
writeFileSync(BUILD_STAMP, `${JSON.stringify({ builtAt: new Date(started).toISOString(), seconds })}\n`);
// Dated when the build started: a source saved while it ran is newer, and the next check rebuilds.
utimesSync(BUILD_STAMP, started / 1000, started / 1000);
process.stdout.write(`built dist/ in ${seconds} s\n`);
