// Two `sso-harness start` processes started at the same moment on one empty PostgreSQL database,
// as an orchestrator starts replicas, behind a public URL that neither can reach (a load
// balancer's address, or a container's published port): exactly one seeds the demo while the
// other waits, both become ready on the seeded state, and a login completes through each.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { freePort } from '../support/net.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';
import { startProcess, type StartedProcess } from '../support/start-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Instance {
  child: StartedProcess;
  port: number;
  /** Everything it printed so far. */
  output(): string;
  exited: Promise<number | null>;
}

function start(port: number, publicUrl: string, dataDir: string, store: string): Instance {
  const child = startProcess(['--port', String(port), '--base-url', publicUrl, '--data', dataDir, '--store', store]);
  return { child, port, output: () => child.output(), exited: child.exit };
}

/** Polls /healthz until it answers 200; fails if the process ends first. */
async function ready(instance: Instance): Promise<void> {
  let ended = false;
  void instance.exited.then(() => (ended = true));
  for (;;) {
    if (ended) assert.fail(`the instance on port ${instance.port} stopped: ${instance.output()}`);
    const res = await fetch(`http://127.0.0.1:${instance.port}/healthz`).catch(() => undefined);
    if (res?.status === 200) return;
    await res?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fetch that sends requests for `publicUrl` to one instance, as a load balancer would. */
const through = (publicUrl: string, port: number): typeof fetch => (input, init) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  if (url.origin === publicUrl) url.port = String(port);
  return fetch(url, init);
};

describe('two instances started at the same moment on one empty PostgreSQL database', function () {
  this.timeout(120_000);
  let instances: Instance[] = [];
  let dataDir: string | undefined;
  let drop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    instances = [];
    await drop?.();
    drop = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds the demo once, starts both on it, and logs in through each', async function () {
    requirePostgres(this);
    const db = await freshDatabase();
    drop = db.drop;
    // One key pair for both, as the README says to give them.
    dataDir = await mkdtemp(join(tmpdir(), 'sso-harness-replicas-'));
    for (const f of ['idp.key.pem', 'idp.cert.pem', 'sp.key.pem', 'sp.cert.pem']) await copyFile(join(root, 'fixtures/keys', f), join(dataDir, f));
    // Nothing answers at the public URL from where the instances run.
    const publicUrl = `http://127.0.0.1:${await freePort()}`;
    const [portA, portB] = [await freePort(), await freePort()];
    instances = [start(portA, publicUrl, dataDir, db.url), start(portB, publicUrl, dataDir, db.url)];
    await Promise.all(instances.map(ready));

    // The banner comes once the instance is ready: one seeded, the other found the seeded state.
    const banners = instances.map((i) => i.output());
    const restored = banners.filter((b) => /Restored the state first set up with demo/.test(b));
    const seeded = banners.filter((b) => /Demo account Acme Corp/.test(b));
    assert.equal(restored.length, 1, banners.join('\n----\n'));
    assert.equal(seeded.length, 1, banners.join('\n----\n'));

    for (const [instance, email, password] of [[instances[0], 'ann@acme.test', 'ann-password-1'], [instances[1], 'bob@acme.test', 'bob-password-1']] as const) {
      const login = await headlessLogin({ spBaseUrl: publicUrl, email, password, fetch: through(publicUrl, instance!.port) });
      assert.equal(login.ok, true, `${email} through port ${instance!.port}: ${JSON.stringify(login.error ?? login.hops)}`);
      assert.equal(login.session?.email, email);
    }
  });
});
