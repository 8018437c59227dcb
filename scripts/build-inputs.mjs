// What dist/ is built from, and the stamp a finished build leaves: build-if-stale.mjs rebuilds when
// any input is newer than the stamp (or there is no stamp), build.mjs writes it last. build.mjs
// empties dist/ before it builds, so a stamp also says dist/ holds nothing but that build: what
// `npm pack` (prepack) may ship as it is.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written by a build that finished; dist/ without it is an interrupted or an older build. */
export const BUILD_STAMP = 'dist/.build-stamp';

const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const INPUT_DIRS = ['src'];
const INPUT_SCRIPTS = /^(build|bundle)-?.*\.mjs$/;

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

function* inputs() {
  yield* INPUT_FILES;
  for (const dir of INPUT_DIRS) yield* filesUnder(dir);
  for (const name of readdirSync('scripts')) if (INPUT_SCRIPTS.test(name)) yield join('scripts', name);
}

/** The most recently modified input, or undefined when there is none. */
export function newestInput() {
  let newest;
  for (const path of inputs()) {
    let mtimeMs;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      continue; // package-lock.json may be absent
    }
    if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  }
  return newest;
}

/** The last finished build: when, and how long it took; undefined without a stamp. */
export function lastBuild() {
  try {
    const stamp = JSON.parse(readFileSync(BUILD_STAMP, 'utf8'));
    return { mtimeMs: statSync(BUILD_STAMP).mtimeMs, seconds: Number(stamp.seconds) || undefined };
  } catch {
    return undefined;
  }
}
