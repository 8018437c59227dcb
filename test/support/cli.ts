// Runs a command's entry point (`run…Command(argv, io)`) in process with its output captured:
// stdout and stderr as text, no terminal, an empty environment unless given one.
import type { CliIo } from '../../src/cli/output.js';

export interface CommandRun {
  code: number;
  out: string;
  err: string;
}

export async function runCommand(
  command: (argv: string[], io: CliIo) => Promise<number>,
  argv: string[],
  io: Partial<CliIo> = {},
): Promise<CommandRun> {
  let out = '';
  let err = '';
  const code = await command(argv, {
    env: {},
    ...io,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}
