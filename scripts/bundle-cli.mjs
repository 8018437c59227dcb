// Bundles the `sso-harness` command (dist/cli/main.js, after tsc) into a few files, so starting it
// reads a handful of modules instead of several hundred: about a third of the start-up time was
// Node resolving and loading express's, zod's and our own modules one by one. Each command stays
// its own chunk, loaded when it runs. The ESM library entry (dist/index.js) is not bundled (the
// CommonJS one is: scripts/bundle-library.mjs).
//
// Left external: native and optional drivers (better-sqlite3, pg), the browser driver, and the
// libraries that must stay one instance per process or load through their own require
// (@peculiar/x509 needs the reflect-metadata polyfill it was loaded with; xml-encryption loads on
// first use through createRequire).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: 'dist/cli',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Maps back to the TypeScript sources through tsc's own maps.
  sourcemap: true,
  external: ['better-sqlite3', 'pg', 'playwright-core', 'xml-encryption', '@peculiar/x509', 'reflect-metadata'],
  // Bundled CommonJS packages (express and its dependencies) call require() for Node built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
chmodSync('dist/cli/main.js', 0o755);
