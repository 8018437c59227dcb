// The project as a user gets it: `npm pack` of the built dist/, installed into an empty project
// with npm alone, offline from npm's cache (CI's `npm install` of the clone fills it).
//
// npm installs offline only what it can find without asking the registry. The cache holds the
// dependency tarballs the clone's install fetched, but not necessarily their registry documents,
// so the empty project gets a lockfile: the clone's own, less its development-only packages, with
// the tarball as `sso-harness`. npm then reads every dependency from the cache by its integrity.
//
// The project declines better-sqlite3's install script through npm's own `allowScripts` (as a
// user of the memory or PostgreSQL store may): building it from source takes about two minutes on
// a CI machine, and without it the SQLite store explains what to do (see the package test).
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type Run } from './run-process.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  [field: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  exports?: unknown;
  dependencies?: Record<string, string>;
}

export const projectPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

function ok(what: string, r: Run): Run {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `npm pack` of the current dist/ (no rebuild: the prepack script is skipped) into `dir`. */
export async function pack(dir: string): Promise<{ tarball: string; files: string[] }> {
  const r = ok('npm pack', await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root));
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error(`npm pack printed no package: ${r.stdout}`);
  return { tarball: join(dir, info.filename), files: info.files.map((f) => f.path) };
}

/** The consumer's lockfile: the clone's non-development packages, and the tarball as sso-harness. */
function consumerLockfile(name: string, tarballSpec: string): unknown {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const { name: pkgName, version, license, bin, engines, dependencies } = projectPackage;
  const packages: Record<string, unknown> = {
    '': { name, version: '1.0.0', dependencies: { [pkgName]: tarballSpec } },
    [`node_modules/${pkgName}`]: { version, resolved: tarballSpec, license, dependencies, bin, engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev) continue;
    const { devOptional: _devOptional, ...rest } = entry;
    packages[path] = rest;
  }
  return { name, version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/** Makes `dir` an empty ESM project and installs the tarball into it, offline. Resolves to npm's output. */
export async function installOffline(dir: string, tarball: string): Promise<Run> {
  await mkdir(dir, { recursive: true });
  const spec = `file:${relative(dir, tarball)}`;
  const manifest = {
    name: 'sso-harness-consumer',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies: { [projectPackage.name]: spec },
    allowScripts: { 'better-sqlite3': false },
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(consumerLockfile(manifest.name, spec), null, 2)}\n`);
  return ok('npm install --offline', await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir));
}
