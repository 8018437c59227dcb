// Loading a module on its first use instead of at start-up: `load` is `() => import('./m.js')`,
// `url` is `new URL('./m.js', import.meta.url)`, the same module.
//
// The test runner's TypeScript loader (tsx under mocha) compiles the sources to CommonJS, where
// `import()` would load a second copy of the module and of everything it imports (a second
// HarnessError class, so `instanceof` fails; a second store module). Compiled that way, the module
// is required instead, into the one copy the static imports share, so the tests run the single
// module graph the build runs.
//
// The package's CommonJS build (dist/index.cjs, scripts/bundle-library.mjs) is CommonJS too, but
// every module is inside that one file and `load` takes it from there: the bundler defines
// SSO_HARNESS_BUNDLED as true, and the files `url` names beside the bundle do not exist.
import { fileURLToPath } from 'node:url';

declare const SSO_HARNESS_BUNDLED: boolean | undefined;

export function importLazily<M>(load: () => Promise<M>, url: URL): Promise<M> {
  const bundled = typeof SSO_HARNESS_BUNDLED !== 'undefined' && SSO_HARNESS_BUNDLED;
  if (!bundled && typeof module === 'object' && typeof require === 'function') {
    try {
      return Promise.resolve(require(fileURLToPath(url)) as M);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return load();
}
