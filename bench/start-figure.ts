// `start-to-metadata`: `sso-harness start` (from dist/) with keys and a SQLite database already in
// its data directory, from spawning the process to the first 200 answer of the IdP metadata URL.
// One untimed start creates the keys and the database (and seeds the demo); then the median of
// several timed starts. Measured on whatever the machine is doing: a wall-clock figure. Also
// `idle-rss`: the resident memory of a started, idle `sso-harness start` process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const TIMED_STARTS = 5;
const GIVE_UP_MS = 20_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The resident set size of a process, from /proc (Linux), in MB. */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error('no VmRSS in /proc/<pid>/status');
  return kb / 1024;
}

/**
 * Milliseconds from spawn to the first 200 from the metadata URL; the process is then stopped.
 * With `idleMs`, it is first left idle that long and its RSS read. With `untilReady`, it is left
 * running until it printed its banner (the first start seeds the demo after the port answers).
 */
async function startOnce(dataDir: string, idleMs?: number, untilReady = false): Promise<{ ms: number; rssMb?: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/cli/main.js', 'start', '--port', String(port), '--data', dataDir], {
    cwd: root,
    env: { ...process.env, SSO_HARNESS_ADMIN_TOKEN: 'bench-admin-token-0123456789' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = `http://127.0.0.1:${port}/idp/apps/ringcentral/metadata`;
    while (performance.now() - t0 < GIVE_UP_MS) {
      if (child.exitCode !== null) throw new Error(`sso-harness start exited with ${child.exitCode}: ${stderr.trim().split('\n')[0] ?? ''}`);
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status === 200) {
          const ms = performance.now() - t0;
          while (untilReady && !stdout.includes('Admin API token') && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
          if (idleMs === undefined || child.pid === undefined) return { ms };
          await new Promise((resolve) => setTimeout(resolve, idleMs));
          return { ms, rssMb: await rssMb(child.pid) };
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`no metadata answer within ${GIVE_UP_MS} ms`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function startToMetadata(progress: (line: string) => void): Promise<{ ms: number; runs: number[]; idleRssMb: number }> {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dataDir = await mkdtemp(join(tmpdir(), 'sso-harness-bench-start-'));
  try {
    progress('start-to-metadata: a first start creates the keys and the SQLite database (untimed) …');
    await startOnce(dataDir, undefined, true);
    if (!existsSync(join(dataDir, 'harness.db'))) throw new Error('the first start made no harness.db');
    const runs: number[] = [];
    for (let i = 0; i < TIMED_STARTS; i++) runs.push((await startOnce(dataDir)).ms);
    progress('idle-rss: one more start, left idle for 2 s …');
    const idle = await startOnce(dataDir, 2000);
    return { ms: median(runs), runs, idleRssMb: idle.rssMb ?? Number.NaN };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
