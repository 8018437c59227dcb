// Seeding at start-up without the public URL. The seed goes through the admin APIs over HTTP like
// any administrator (src/harness/seed.ts), but the public URL may lead elsewhere while an instance starts:
// to another instance behind the load balancer (which is seeding too, or refuses while it
// starts), or nowhere (a container's port mapping is not reachable from inside). So while it
// seeds, an instance serves its app on a private loopback listener, and every request it makes
// to its own public base URLs (the seed's admin calls, the SP fetching the IdP's metadata URL)
// goes there instead. The metadata URL recorded is still the public one.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HarnessApp } from './app.js';
import { seedOnce, type SeedTarget } from './seed.js';

/** What a start seeds into an empty store. */
export interface StartupSeed {
  /** What the store's mark records: `demo`, `config file <path>`, `blank`… */
  what: string;
  /** Applies the seed through the admin APIs of `target` (the public base URLs, reached locally). */
  run(target: SeedTarget): Promise<void>;
}

/**
 * A fetch that, while `localOrigin` is set, sends requests for the harness's own public base URLs
 * there: the private listener while seeding, the harness's own listener once it serves.
 */
export class SelfRoutingFetch {
  localOrigin: string | undefined;
  private bases: string[] = [];

  constructor(private readonly base: typeof fetch) {}

  /** The public base URLs (origin and optional path) this instance is reached at. */
  setPublicBases(bases: string[]): void {
    this.bases = [...new Set(bases)].sort((a, b) => b.length - a.length);
  }

  readonly fetch: typeof fetch = (input, init) => {
    const local = this.localOrigin;
    if (local === undefined) return this.base(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const own = this.bases.find((b) => url === b || url.startsWith(`${b}/`) || url.startsWith(`${b}?`));
    if (own === undefined) return this.base(input, init);
    const rewritten = `${local}${url.slice(own.length)}`;
    return this.base(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
  };
}

/**
 * Seeds the store once (see seedOnce: under the store's lock, skipped when seeded before) through
 * a private loopback listener serving `app`. Returns the earlier mark when it skipped.
 */
export async function seedOnStart(app: HarnessApp, router: SelfRoutingFetch, seed: StartupSeed): Promise<{ what: string; at: string } | undefined> {
  const { config } = app.harness;
  const local = createServer(app);
  await new Promise<void>((resolve, reject) => {
    local.once('error', reject);
    local.listen(0, '127.0.0.1', () => {
      local.off('error', reject);
      resolve();
    });
  });
  router.localOrigin = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
  try {
    const target: SeedTarget = { idpBaseUrl: config.idpBaseUrl, spBaseUrl: config.spBaseUrl, adminToken: config.adminToken, fetch: config.fetch };
    return await seedOnce(app.harness, seed.what, () => seed.run(target), config.log);
  } finally {
    router.localOrigin = undefined;
    await new Promise<void>((resolve) => {
      local.close(() => resolve());
      local.closeAllConnections();
    });
  }
}
