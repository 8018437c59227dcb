// Listening: binds first (so port 0 resolves to a real port), then builds the app with the
// public URL it now knows.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HarnessError } from './errors.js';
import { resolveConfig, type HarnessConfigInput, type ResolvedConfig } from './config.js';
import { createApp, type HarnessApp } from './http/app.js';

export interface RunningHarness {
  url: string;
  app: HarnessApp;
  server: Server;
  config: ResolvedConfig;
  /** True when no token was configured and one was generated for this run. */
  adminTokenGenerated: boolean;
  /**
   * Stops accepting connections, lets requests in flight finish (at most `graceMs`, default 5 s,
   * then cuts them), stops background work and closes the store.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}

export async function listen(input: HarnessConfigInput = {}): Promise<RunningHarness> {
  const probe = resolveConfig(input); // fails early on a bad config, before binding
  // Until the app is built (keys, store, migrations), a request gets 503 with Retry-After instead
  // of an accepted connection that never answers.
  const starting = JSON.stringify(new HarnessError('HARNESS_STARTING', 'sso-harness is starting (keys, store); retry in a moment').toJSON());
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', connection: 'close' });
    res.end(starting);
  };
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
    const config = resolveConfig({ ...input, port, baseUrl: input.baseUrl ?? `http://${host}:${port}`, adminToken: probe.adminToken });
    const app = await createApp(config);
    handler = app;
    let closing: Promise<void> | undefined;
    const close = (opts: { graceMs?: number } = {}): Promise<void> =>
      (closing ??= new Promise<void>((resolve) => {
        app.harness.stop(); // timers and subscriptions of the two sides
        const cut = setTimeout(() => server.closeAllConnections(), opts.graceMs ?? 5000);
        // Keep-alive connections go as soon as their request is answered.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }).then(() => app.harness.store.close()));
    // The harness's config: the same, with OAuth client secrets as the store keeps them.
    return { url: config.baseUrl, app, server, config: app.harness.config, adminTokenGenerated: probe.adminTokenGenerated, close };
  } catch (err) {
    server.close();
    throw err;
  }
}
