// What every command but `start` shares: strict options with --json and --help, the usage on
// --help, the result as JSON or text, and every error ending as one line and an exit status.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isHarnessError } from '../errors.js';
import { InputError } from './input.js';
import { EXIT_STATUS, failWith, paintFor, type CliIo, type Paint } from './output.js';
import { errorCode, errorMessage } from '../caught-error.js';

/** Bad usage: exit status 2, the message followed by "(see --help)". */
export class UsageError extends Error {}

const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
type ParsedOptions<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] & { json: boolean; help: boolean };

export interface CommandArgs<O extends ParseArgsOptionsConfig> {
  values: ParsedOptions<O>;
  positionals: string[];
}

/** Parses `argv` strictly against `options` plus --json and --help; a mistake is a UsageError. */
function parseCommandArgs<const O extends ParseArgsOptionsConfig>(argv: string[], options: O, allowPositionals = true): CommandArgs<O> {
  try {
    return parseArgs({ args: argv, options: { ...options, ...COMMON_OPTIONS }, strict: true, allowPositionals }) as CommandArgs<O>;
  } catch (err) {
    throw new UsageError(ambiguousValue(err, argv) ?? errorMessage(err));
  }
}

/**
 * parseArgs refuses `--token -abc` (the value looks like an option) with three lines about
 * `--token=-XYZ`; this says it in one, with the argument that was given.
 */
function ambiguousValue(err: unknown, argv: string[]): string | undefined {
  const option = errorCode(err) === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? /^Option '(--[\w-]+)' argument is ambiguous/.exec(errorMessage(err))?.[1] : undefined;
  if (option === undefined) return undefined;
  const at = argv.findIndex((arg, i) => arg === option && argv[i + 1]?.startsWith('-'));
  const next = at < 0 ? undefined : argv[at + 1];
  return `${option} takes a value, and the next argument (${next ?? 'none'}) begins with "-": write ${option}=${next ?? 'VALUE'} if that is the value`;
}

/** The exit status and the line an error ends a command with. */
export interface Failure {
  status: number;
  message: string;
}

export interface Command<O extends ParseArgsOptionsConfig> {
  /** As in `sso-harness <name>: <message>`. */
  name: string;
  usage: string;
  /** The command's own options; --json and --help are added. */
  options: O;
  /** Whether the command takes positional arguments (default true). */
  positionals?: boolean;
  /** Errors the command knows, checked before UsageError; anything else is unexpected. */
  knownError?: (err: unknown) => Failure | undefined;
  /** The status of an unexpected error, reported as `unexpected error: <message>` and never with a stack. */
  unexpectedStatus: number;
  /** Writes the error line and returns the status; failWith by default. */
  fail?: (status: number, message: string) => number;
  /** Runs the parsed command (not on --help); resolves to the exit status. */
  run(args: CommandArgs<O>, io: CliIo): Promise<number>;
}

/** Runs `command` with these arguments; resolves to the exit status and never rejects. */
export async function runCommand<O extends ParseArgsOptionsConfig>(command: Command<O>, argv: string[], io: CliIo): Promise<number> {
  const fail = command.fail ?? ((status: number, message: string) => failWith(io, command.name, status, message));
  try {
    const args = parseCommandArgs(argv, command.options, command.positionals);
    if (args.values.help) {
      io.stdout.write(`${command.usage}\n`);
      return EXIT_STATUS.ok;
    }
    return await command.run(args, io);
  } catch (err) {
    const known = command.knownError?.(err);
    if (known) return fail(known.status, known.message);
    if (err instanceof UsageError) return fail(EXIT_STATUS.usage, `${err.message} (see --help)`);
    return fail(command.unexpectedStatus, `unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** For the commands that read SAML (inspect, check, decode): input that cannot be read or parsed is exit status 3. */
export function unreadableInput(err: unknown): Failure | undefined {
  if (err instanceof InputError) return { status: EXIT_STATUS.cannotRun, message: err.message };
  if (isHarnessError(err)) return { status: EXIT_STATUS.cannotRun, message: `${err.message} [${err.code}]` };
  return undefined;
}

/** The result on stdout: one line of JSON with --json, else the text, coloured when stdout allows. */
export function writeResult(io: CliIo, json: boolean, data: unknown, text: (p: Paint) => string): void {
  io.stdout.write(json ? `${JSON.stringify(data)}\n` : text(paintFor(io)));
}
