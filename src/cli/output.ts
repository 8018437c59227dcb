// Shared terminal output for the commands: colour only on a TTY (and never with NO_COLOR), a
// progress line on stderr for anything slower than a second, and the one-line error.
export interface Writer {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  env: NodeJS.ProcessEnv;
  /** Standard input, for `-`. */
  stdin?: AsyncIterable<Buffer | string>;
  fetch?: typeof fetch;
  /** Wall clock in ms (injected by tests). */
  now?: () => number;
  /** Stops a long run (audit-sp wires SIGINT to it). */
  signal?: AbortSignal;
  /** How long work runs before its progress line shows: a second (tests shorten it). */
  progressDelayMs?: number;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
}

export type Paint = Record<'green' | 'red' | 'yellow' | 'bold' | 'dim' | 'cyan', (text: string) => string>;

export function paint(enabled: boolean): Paint {
  const wrap = (code: string) => (text: string) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { green: wrap('32'), red: wrap('31'), yellow: wrap('33'), bold: wrap('1'), dim: wrap('2'), cyan: wrap('36') };
}

/** Colour on stdout only when it is a terminal and NO_COLOR is not set. */
export function colourFor(io: CliIo): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR;
}

/** The colours, or none, for this stdout. */
export function paintFor(io: CliIo): Paint {
  return paint(colourFor(io));
}

export interface Progress {
  update(text: string): void;
  stop(): void;
}

/** Where a progress line goes, and after how long it shows. */
export type ProgressIo = Pick<CliIo, 'stderr' | 'progressDelayMs'>;

/**
 * A progress line on a terminal's stderr, shown only once the work has taken more than a
 * second (and rewritten in place); nothing at all when stderr is not a terminal.
 */
export function startProgress({ stderr, progressDelayMs: delayMs = 1000 }: ProgressIo, label: string): Progress {
  if (stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  let text = label;
  let shown = false;
  const frames = ['|', '/', '-', '\\'];
  let frame = 0;
  const draw = (): void => {
    shown = true;
    stderr.write(`\r\x1b[K${frames[frame++ % frames.length] ?? ''} ${text}`);
  };
  let ticker: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    draw();
    ticker = setInterval(draw, 120);
    ticker.unref();
  }, delayMs);
  timer.unref();
  return {
    update(next) {
      text = next;
    },
    stop() {
      clearTimeout(timer);
      if (ticker) clearInterval(ticker);
      if (shown) stderr.write('\r\x1b[K');
    },
  };
}

/** Runs `work` with a progress line, stopped however the work ends. */
export async function withProgress<T>(io: ProgressIo, label: string, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = startProgress(io, label);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}

/** Exit statuses; each command's usage says what 1 and 3 mean for it. */
export const EXIT_STATUS = {
  ok: 0,
  /** Findings, a failed check, a refusal. */
  failed: 1,
  usage: 2,
  /** Unreadable input, an unreachable server, an audit that cannot start. */
  cannotRun: 3,
  interrupted: 130,
} as const;

/** The one-line error every command ends with on failure; returns the exit status. */
export function failWith(io: CliIo, command: string, status: number, message: string): number {
  io.stderr.write(`sso-harness ${command}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return status;
}
