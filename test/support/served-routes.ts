// The routes an Express app really serves, read from its router stacks: each method and full
// path, including the routers app.ts loads lazily (built here first, as a first request would).
import type { HarnessApp } from '../../src/harness/app.js';

export interface ServedRoute {
  /** `get`, `post`…, or `all` for `router.all()`. */
  method: string;
  /** Express syntax: `/idp/api/apps/:app`. */
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[]; load?: () => Promise<{ stack?: Layer[] }> };
}

async function walk(stack: Layer[], prefix: string, out: ServedRoute[]): Promise<void> {
  for (const layer of stack) {
    if (layer.route) {
      for (const path of [layer.route.path].flat()) {
        for (const method of Object.keys(layer.route.methods)) out.push({ method: method === '_all' ? 'all' : method, path: prefix + path });
      }
      continue;
    }
    const router = typeof layer.handle.load === 'function' ? await layer.handle.load() : layer.handle;
    if (!Array.isArray(router.stack)) continue;
    for (const mount of [layer.rawPath ?? '/'].flat()) await walk(router.stack, prefix + (mount === '/' ? '' : mount), out);
  }
}

export async function servedRoutes(app: HarnessApp): Promise<ServedRoute[]> {
  const out: ServedRoute[] = [];
  await walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out);
  return out;
}
