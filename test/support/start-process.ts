// `sso-harness start` run from the sources as a child process, with the test admin token: its
// output (stdout and stderr together) as it comes, its exit status, and the URL it announces.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from './harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export type StartedProcess = ChildProcess & {
  /** Everything it printed so far. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  exit: Promise<number | null>;
};

/** Starts `sso-harness start ARGS` (add `--port 0` for a free port). */
export function startProcess(args: string[]): StartedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', ...args], {
    cwd: root,
    env: { ...process.env, SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return Object.assign(child, { output: () => out, exit });
}

/** The URL the process announces once it serves (with 127.0.0.1 for localhost); fails if it ends first. */
export async function announcedUrl(child: StartedProcess): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const url = /running at (http:\/\/[^\s]+)/.exec(child.output())?.[1];
    if (url && child.output().includes('Admin API token')) return url.replace('//localhost:', '//127.0.0.1:');
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sso-harness start ended (${child.exitCode ?? child.signalCode}) before listening: ${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sso-harness start never listened: ${child.output()}`);
}
