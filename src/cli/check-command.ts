// `sso-harness check`: will this IdP and this SP work together? One line per finding, each
// problem with the change that fixes it, and an exit status a CI job can act on.
import { checkPair, type PairCheck, type PairFinding } from '../saml/metadata-check.js';
import { runCommand, unreadableInput, UsageError, writeResult, type CommandArgs } from './command.js';
import { InputError, readInputWithProgress } from './input.js';
import { EXIT_STATUS, processIo, type CliIo, type Paint } from './output.js';

export const CHECK_USAGE = `Usage: sso-harness check <idp-metadata> <sp-metadata> [--json] [--strict]

Compares IdP metadata with SP metadata (each a file, a URL, or - for standard input) and prints
one line per finding: entity IDs, the SSO binding the SP needs, request and assertion signing,
signature algorithms, the IdP signing certificate, the ACS, NameID formats and, when the SP is
RingCentral, the "email" and "number" attributes. Each problem names its fix.

  --json        one JSON object on stdout
  --strict      exit 1 on warnings too
  -h, --help    this text

Exit status:
  0  no errors (warnings allowed unless --strict)
  1  at least one finding of severity error (or, with --strict, a warning)
  2  bad usage
  3  an input is unreadable: not XML, not SAML metadata of that role, unreachable URL

Examples:
  sso-harness check fixtures/metadata/idp.jumpcloud-style.xml fixtures/metadata/sp.ringcentral-style.xml
  sso-harness check http://localhost:8400/idp/apps/ringcentral/metadata http://localhost:8400/sp/metadata --json
  sso-harness check idp.xml - --strict < sp.xml`;

const OPTIONS = { strict: { type: 'boolean', default: false } } as const;

function findingLine(f: PairFinding, p: Paint): string {
  const label = f.severity === 'error' ? p.red('error  ') : f.severity === 'warning' ? p.yellow('warning') : p.green('ok     ');
  return `${label} ${f.topic.padEnd(11)} ${f.message}${f.fix ? ` ${p.bold('fix:')} ${f.fix}` : ''}`;
}

export function formatPairCheck(check: PairCheck, p: Paint): string {
  const head = p.dim(`IdP ${check.idpEntityId} -> SP ${check.spEntityId}${check.ringCentral ? ' (RingCentral)' : ''}`);
  const verdict = check.errors > 0
    ? p.red(`${check.errors} error${check.errors === 1 ? '' : 's'}, ${check.warnings} warning${check.warnings === 1 ? '' : 's'}: these two will not work together until the errors are fixed`)
    : check.warnings > 0
      ? p.yellow(`no errors, ${check.warnings} warning${check.warnings === 1 ? '' : 's'}: these two should work together; review the warnings`)
      : p.green('no errors, no warnings: these two should work together');
  return `${[head, '', ...check.findings.map((f) => findingLine(f, p)), '', verdict].join('\n')}\n`;
}

async function readRole(spec: string, io: CliIo, role: string): Promise<string> {
  try {
    return (await readInputWithProgress(spec, io)).text;
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${role} metadata: ${err.message}`);
    throw err;
  }
}

async function check({ values, positionals }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  const [idpSpec, spSpec] = positionals;
  if (idpSpec === undefined || spSpec === undefined || positionals.length > 2) {
    throw new UsageError(`give two inputs, the IdP metadata then the SP metadata (got ${positionals.length})`);
  }
  if (idpSpec === '-' && spSpec === '-') throw new UsageError('only one of the inputs can be standard input');
  const idpXml = await readRole(idpSpec, io, 'IdP');
  const spXml = await readRole(spSpec, io, 'SP');
  const result = checkPair(idpXml, spXml, { nowMs: (io.now ?? Date.now)() });
  writeResult(io, values.json, result, (p) => formatPairCheck(result, p));
  return result.errors > 0 || (values.strict && result.warnings > 0) ? EXIT_STATUS.failed : EXIT_STATUS.ok;
}

/** Runs `check` with these arguments; resolves to the exit status. */
export function runCheckCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand({ name: 'check', usage: CHECK_USAGE, options: OPTIONS, knownError: unreadableInput, unexpectedStatus: EXIT_STATUS.cannotRun, run: check }, argv, io);
}
