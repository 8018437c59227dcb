// Loading a module on its first use instead of at start-up: `load` is `() => import('./m.js')`,
// `url` is `new URL('./m.js', import.meta.url)`, the same module.
//
// The test runner's TypeScript loader (tsx under mocha) compiles the sources to CommonJS, where
// `import()` would load a second copy of the module and of everything it imports (a second
// HarnessError class, so `instanceof` fails; a second store module). Compiled that way, the module
// is required instead, into the one copy the static imports share, so the tests run the single
// module graph the build runs.
import { fileURLToPath } from 'node:url';

export function importLazily<M>(load: () => Promise<M>, url: URL): Promise<M> {
  if (typeof module === 'object' && typeof require === 'function') {
    try {
      return Promise.resolve(require(fileURLToPath(url)) as M);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return load();
}
