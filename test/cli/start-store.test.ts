// `sso-harness start` and its store, as a process: a store it cannot use stops start-up with one
// line; SIGTERM lets a request in flight finish, closes the database cleanly and exits 0.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNT } from '../../src/harness/demo.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { announcedUrl, startProcess, type StartedProcess } from '../support/start-process.js';

const run = (args: string[]): StartedProcess => startProcess(['--port', '0', ...args]);
const listening = announcedUrl;

describe('sso-harness start --store', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sso-harness-start-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const oneLine = (text: string): string => {
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 1, text);
    assert.ok(!text.includes('    at '), 'no stack trace');
    return lines[0] ?? '';
  };

  it('stops with one line naming a corrupt database file, and leaves the file alone', async () => {
    const path = join(dir, 'corrupt.db');
    await writeFile(path, 'not a database\n'.repeat(500));
    const child = run(['--data', dir, '--store', path]);
    assert.equal(await child.exit, 1);
    assert.match(oneLine(child.output()), new RegExp(`^sso-harness: STORE_UNAVAILABLE: cannot use the SQLite database ${path}: the file is not a valid SQLite database`));
    assert.equal(statSync(path).size, 'not a database\n'.length * 500);
  });

  it('stops with one line naming an unreachable PostgreSQL server, without its password', async () => {
    const child = run(['--data', dir, '--store', 'postgres://harness:s3cret-pw@127.0.0.1:1/harness']);
    assert.equal(await child.exit, 1);
    const line = oneLine(child.output());
    assert.match(line, /^sso-harness: STORE_UNAVAILABLE: cannot use PostgreSQL postgres:\/\/harness:\*\*\*@127\.0\.0\.1:1\/harness: the server cannot be reached/);
    assert.ok(!line.includes('s3cret-pw'));
  });

  it('refuses a store it does not know before listening', async () => {
    const child = run(['--data', dir, '--store', 'mysql://db.example.test/harness']);
    assert.equal(await child.exit, 1);
    assert.match(oneLine(child.output()), /CONFIG_INVALID: store: mysql:\/\/db\.example\.test\/harness is not a store sso-harness knows/);
  });

  describe('two processes on one data directory', () => {
    const children: ReturnType<typeof run>[] = [];
    const started = (args: string[]): ReturnType<typeof run> => {
      const child = run(args);
      children.push(child);
      return child;
    };
    afterEach(() => {
      for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    it('stops the second with one line naming the data directory and the pid of the first, which keeps serving', async () => {
      const data = join(dir, 'shared');
      const first = started(['--data', data]);
      const url = await listening(first);
      const second = started(['--data', data]);
      assert.equal(await second.exit, 1);
      assert.equal(
        oneLine(second.output()),
        `sso-harness: STORE_IN_USE: the data directory ${data} is in use by another instance (pid ${first.pid}); use --data for another, or --store postgres://… to share state`,
      );
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      // Stopped, the first lets the directory go.
      first.kill('SIGTERM');
      assert.equal(await first.exit, 0);
      const third = started(['--data', data]);
      await listening(third);
      assert.match(third.output(), /Restored the state first set up with demo/);
      third.kill('SIGTERM');
      assert.equal(await third.exit, 0);
    });

    it('takes over a data directory whose instance was killed: the lock went with the process', async () => {
      const data = join(dir, 'killed');
      const first = started(['--data', data]);
      await listening(first);
      first.kill('SIGKILL');
      await first.exit;
      const second = started(['--data', data]);
      await listening(second);
      second.kill('SIGTERM');
      assert.equal(await second.exit, 0, second.output());
    });

    it('takes no lock for the in-memory store: two instances share the keys of one data directory', async () => {
      const data = join(dir, 'memory');
      const [a, b] = [started(['--data', data, '--store', 'memory']), started(['--data', data, '--store', 'memory'])];
      await Promise.all([listening(a), listening(b)]);
      assert.ok(!existsSync(join(data, 'harness.db.lock')));
    });
  });

  describe('on SIGTERM', () => {
    let slow: Server;
    let metadata = '';
    // The metadata server holds each request until the test lets it answer: an import by URL is
    // then a request in flight for as long as the test needs, with no sleep.
    let arrived: Promise<void>;
    let signalArrived: () => void;
    let answer: () => void;
    before(async () => {
      slow = createServer((_req, res) => {
        signalArrived();
        answer = () => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadata);
      });
      arrived = new Promise<void>((resolve) => (signalArrived = resolve));
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    });
    after(() => new Promise<void>((resolve) => slow.close(() => resolve())));

    it('lets a request in flight finish, refuses new connections, closes the database and exits 0', async () => {
      const data = join(dir, 'graceful');
      const child = run(['--data', data]);
      const url = await listening(child);
      metadata = await (await fetch(`${url}/idp/apps/ringcentral/metadata`)).text();
      const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/metadata`;
      const inFlight = fetch(`${url}/sp/api/accounts/${DEMO_ACCOUNT.id}/sso/idp-metadata`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ url: slowUrl }),
      });
      await arrived;
      child.kill('SIGTERM');
      for (let i = 0; i < 400 && !/SIGTERM: finishing requests in flight/.test(child.output()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      await assert.rejects(fetch(`${url}/healthz`), 'a new connection is refused once stopping');
      answer();
      const res = await inFlight;
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as { parsed: { entityId: string } }).parsed.entityId.length > 0, true);
      assert.equal(await child.exit, 0, child.output());
      assert.match(child.output(), /SIGTERM: finishing requests in flight, closing the store/);
      assert.ok(existsSync(join(data, 'harness.db')));
      assert.ok(!existsSync(join(data, 'harness.db-wal')), 'the WAL was checkpointed and removed: the database was closed cleanly');
    });
  });
});
