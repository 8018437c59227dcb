// Builds dist/ only when it is missing or older than its sources (scripts/build-inputs.mjs lists
// them): `npm install` (prepare), `npm pack` (prepack), `npm start` and `npm test` run it, so a
// clone builds once on install and a later start goes straight to the server. Nothing changed: it
// only reads file times.
//
// --on-install (prepare): an install without the dev dependencies (`npm ci --omit=dev`) cannot
// build, and is not failed for it; whatever then needs dist/ says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { lastBuild, newestInput } from './build-inputs.mjs';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const last = lastBuild();
const newest = newestInput();
let why;
if (!existsSync('dist')) why = 'first run';
else if (!last) why = 'dist/ has no finished build';
else if (newest && newest.mtimeMs > last.mtimeMs) why = `${newest.path} changed since the last build`;
if (!why) process.exit(0);

let typescriptInstalled = true;
try {
  createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  typescriptInstalled = false;
}
if (!typescriptInstalled) {
  // An install without the dev dependencies cannot build; a dist/ it was given is used as it is.
  if (existsSync('dist/index.js') && existsSync('dist/cli/main.js')) {
    process.stderr.write(`sso-harness: not rebuilding dist/ (${why}): typescript is not installed; run \`npm install\` with the dev dependencies to rebuild\n`);
    process.exit(0);
  }
  process.stderr.write('sso-harness: dist/ is missing and typescript is not installed to build it; run `npm install` with the dev dependencies\n');
  process.exit(process.argv.includes('--on-install') ? 0 : 1);
}

process.stdout.write(`building dist/ (${why}, ~${Math.max(1, Math.round(last?.seconds ?? 20))} s)…\n`);
const result = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
