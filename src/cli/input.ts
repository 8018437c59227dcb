// Reads a command's input argument, `value|file|url|-`: standard input, a file, a URL fetched with
// a timeout, or the argument itself; every source capped in size. Failures are InputErrors: one
// line saying what could not be read and why.
import { readFile, stat } from 'node:fs/promises';
import { describeFetchFailure, PeerBodyError, readPeerBody } from '../peer-body.js';
import { withProgress, type CliIo } from './output.js';
import { errorCode, errorMessage } from '../caught-error.js';

export const DEFAULT_INPUT_LIMITS = { maxBytes: 16 * 1024 * 1024, timeoutMs: 10_000 };

export class InputError extends Error {}

export interface ReadInputOptions {
  maxBytes?: number;
  timeoutMs?: number;
  /** Called before a slow source (a fetch, standard input) is read. */
  onSlowStart?: (what: string) => void;
}

export interface InputText {
  text: string;
  /** `stdin`, the file path, the URL, or `argument`. */
  origin: string;
}

function tooLarge(what: string, max: number): never {
  throw new InputError(`${what} is larger than ${max} bytes`);
}

async function readStdin(io: CliIo, max: number): Promise<string> {
  if (!io.stdin) throw new InputError('standard input is not available');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > max) tooLarge('standard input', max);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs `url` with a timeout (headers and body alike) and a size cap. */
export async function fetchText(io: CliIo, url: string, opts: ReadInputOptions = {}): Promise<string> {
  const max = opts.maxBytes ?? DEFAULT_INPUT_LIMITS.maxBytes;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_INPUT_LIMITS.timeoutMs;
  let res: Response;
  try {
    res = await (io.fetch ?? fetch)(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    throw new InputError(`cannot fetch ${url}: ${describeFetchFailure(err, timeoutMs)}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new InputError(`cannot fetch ${url}: HTTP ${res.status}`);
  }
  try {
    return (await readPeerBody(res, { maxBytes: max, timeoutMs })).toString('utf8');
  } catch (err) {
    if (!(err instanceof PeerBodyError)) throw err;
    if (err.kind === 'too-large') tooLarge(url, max);
    throw new InputError(`cannot fetch ${url}: ${err.message}`);
  }
}

/** `-` is standard input, an http(s) URL is fetched, an existing file is read, anything else is the value. */
export async function readInput(spec: string, io: CliIo, opts: ReadInputOptions = {}): Promise<InputText> {
  const max = opts.maxBytes ?? DEFAULT_INPUT_LIMITS.maxBytes;
  if (spec === '-') {
    opts.onSlowStart?.('reading standard input');
    return { text: await readStdin(io, max), origin: 'stdin' };
  }
  if (/^https?:\/\//i.test(spec)) {
    opts.onSlowStart?.(`fetching ${spec}`);
    return { text: await fetchText(io, spec, opts), origin: spec };
  }
  const info = spec.length < 4096 ? await stat(spec).catch(() => undefined) : undefined;
  if (info?.isFile()) {
    if (info.size > max) tooLarge(spec, max);
    try {
      return { text: await readFile(spec, 'utf8'), origin: spec };
    } catch (err) {
      throw new InputError(`cannot read ${spec}: ${errorCode(err) ?? errorMessage(err)}`);
    }
  }
  // A value never looks like a file name (base64 has no '.'), so this is a mistyped path.
  if (/^[^\s<>=?&]+\.[A-Za-z0-9]{1,5}$/.test(spec)) throw new InputError(`cannot read ${spec}: no such file`);
  if (Buffer.byteLength(spec) > max) tooLarge('the argument', max);
  return { text: spec, origin: 'argument' };
}

/** readInput with the progress line on stderr (shown only when reading takes over a second). */
export function readInputWithProgress(spec: string, io: CliIo, opts: ReadInputOptions = {}): Promise<InputText> {
  return withProgress(io, `reading ${spec === '-' ? 'standard input' : spec}`, (progress) =>
    readInput(spec, io, { ...opts, onSlowStart: (what) => progress.update(what) }));
}
