// Builds the package's CommonJS entry, dist/cjs/, for `require('sso-harness')` on a Node that
// cannot require an ES module. index.js bundles the library's own modules (dist/index.js and
// everything it imports, lazily loaded route and store modules included) into that one file; the
// packages it depends on stay external and load through their own entries, as any CommonJS
// program would load them. So requiring the package loads one file of ours, never the ESM dist/.
//
// The declarations are tsc's, copied beside it: under dist/cjs/package.json ("type": "commonjs")
// TypeScript reads them as CommonJS, so a CommonJS user's `require` resolves to types it may
// require, where the ESM ones would be refused under `module: node16`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const OUT = 'dist/cjs';

await build({
  entryPoints: ['dist/index.js'],
  outfile: `${OUT}/index.js`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  sourcemap: true,
  define: {
    // createRequire(import.meta.url) needs a URL: the bundle's own.
    'import.meta.url': '__bundleUrl',
  },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
writeFileSync(`${OUT}/package.json`, `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== OUT && path !== 'dist/cli') yield* declarations(path);
    } else if (entry.name.endsWith('.d.ts')) yield path;
  }
}
for (const path of declarations('dist')) {
  const to = join(OUT, relative('dist', path));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(path, to);
}
