// Listening: binds first (so port 0 resolves to a real port), then builds the app with the
// public URL it now knows, seeds the store when asked, and only then serves: until it is seeded
// and ready every request, /healthz included, gets 503 HARNESS_STARTING.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HarnessError } from '../errors.js';
import { resolveConfig, type HarnessConfigInput, type ResolvedConfig } from './config.js';
import { createApp, type HarnessApp } from './app.js';
import { seedOnStart, SelfRoutingFetch, type StartupSeed } from './seed-on-start.js';

export type { StartupSeed } from './seed-on-start.js';

export interface RunningHarness {
  url: string;
  app: HarnessApp;
  server: Server;
  config: ResolvedConfig;
  /** True when no token was configured and one was generated for this run. */
  adminTokenGenerated: boolean;
  /** With a seed: the mark of the earlier seeding when the store was seeded before (nothing was seeded now). */
  restored?: { what: string; at: string };
  /**
   * Stops accepting connections, lets requests in flight finish (at most `graceMs`, default 5 s,
   * then cuts them), stops background work and closes the store.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** Answers every request with 503 HARNESS_STARTING and Retry-After, instead of a connection that never answers. */
function starting(why: string): RequestListener {
  const body = JSON.stringify(new HarnessError('HARNESS_STARTING', `sso-harness is starting (${why}); retry in a moment`).toJSON());
  return (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', connection: 'close' });
    res.end(body);
  };
}

/** This listener's own address, as a URL origin: the loopback address when it listens on every interface. */
function loopbackOrigin(server: Server): string {
  const { address, family, port } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

export interface ListenOptions {
  /** Seeded once into an empty store before the harness serves (see seedOnStart). */
  seed?: StartupSeed;
}

export async function listen(input: HarnessConfigInput = {}, opts: ListenOptions = {}): Promise<RunningHarness> {
  const probe = resolveConfig(input); // fails early on a bad config, before binding
  let handler = starting('keys, store');
  const { headersTimeoutMs, requestTimeoutMs } = probe.http;
  const server = createServer(
    {
      // A client gets this long to send its headers, and its whole request; then 408 and the
      // connection is closed (Node's own defaults let a trickle hold it for 5 minutes).
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node checks those deadlines on this interval (30 s by default): often enough to keep them.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => handler(req, res),
  );
  server.keepAliveTimeout = 5000;
  let app: HarnessApp | undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(probe.port, probe.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  try {
    const port = (server.address() as AddressInfo).port;
    const host = probe.host === '127.0.0.1' || probe.host === '0.0.0.0' || probe.host === '::' ? (input.port === 0 ? '127.0.0.1' : 'localhost') : probe.host;
    const router = new SelfRoutingFetch(input.fetch ?? globalThis.fetch);
    const config = resolveConfig({ ...input, port, baseUrl: input.baseUrl ?? `http://${host}:${port}`, adminToken: probe.adminToken, fetch: router.fetch });
    router.setPublicBases([config.baseUrl, config.idpBaseUrl, config.spBaseUrl]);
    const built = await createApp(config);
    app = built;
    let restored: { what: string; at: string } | undefined;
    if (opts.seed) {
      handler = starting(`seeding its state (${opts.seed.what}), or waiting for another instance sharing the store to finish seeding it`);
      restored = await seedOnStart(built, router, opts.seed);
    }
    handler = built;
    // From here on too, the harness's own requests to its public URL (Identity Management's token
    // exchange and SCIM calls, an import of its own metadata URL) go to this listener, as seeding's
    // went to the private one: the public URL may lead nowhere from where the process runs (a
    // container's published port) or to another instance sharing the store, which is the same.
    router.localOrigin = loopbackOrigin(server);
    let closing: Promise<void> | undefined;
    const close = (opts: { graceMs?: number } = {}): Promise<void> =>
      (closing ??= new Promise<void>((resolve) => {
        built.harness.stop(); // timers and subscriptions of the two sides
        const cut = setTimeout(() => server.closeAllConnections(), opts.graceMs ?? 5000);
        // Keep-alive connections go as soon as their request is answered.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }).then(() => built.harness.store.close()));
    // The harness's config: the same, with OAuth client secrets as the store keeps them.
    return { url: config.baseUrl, app: built, server, config: built.harness.config, adminTokenGenerated: probe.adminTokenGenerated, ...(restored && { restored }), close };
  } catch (err) {
    server.close();
    server.closeAllConnections();
    if (app) {
      app.harness.stop();
      await app.harness.store.close().catch(() => undefined);
    }
    throw err;
  }
}
