// `sso-harness audit-sp`: scores someone else's SP against every response scenario of a running
// harness, as a table (or one JSON object) and an exit status a CI job can act on.
import { readFile } from 'node:fs/promises';
import { AuditError, auditSp, type AcceptRule, type AuditProgress, type AuditReport } from '../client/audit/audit-sp.js';
import { describeFetchFailure, PeerBodyError, readPeerBody } from '../peer-body.js';
import { runCommand, UsageError, writeResult, type CommandArgs } from './command.js';
import { ADMIN_TOKEN_OPTION, adminToken, HARNESS_URL_OPTION, harnessOptionsUsage, harnessUrl } from './harness-options.js';
import { DEFAULT_INPUT_LIMITS } from './input.js';
import { colourFor, EXIT_STATUS, paint, type CliIo, type Paint, type Writer } from './output.js';
import { errorCode, errorMessage } from '../caught-error.js';

export const AUDIT_SP_USAGE = `Usage: sso-harness audit-sp --app ID --login-url URL --email E [options]

Signs in to an SP through the harness IdP once to learn what acceptance looks like, then sends
every response scenario (attacks, faults and genuine variants), each in a fresh SP-initiated
login, and scores what the SP's ACS did with it.

  --app ID               the IdP application the audited SP trusts (it imported
                         <harness>/idp/apps/ID/metadata)
  --login-url URL        where an SP-initiated login starts; {email} is replaced by the email
  --email E              the IdP user to sign in as; created with a random password and bound
                         to the application through the group "sso-harness audit" if missing
                         (and deleted afterwards)
  --password P           the IdP user's password, when it exists (default $SSO_HARNESS_AUDIT_PASSWORD)
${harnessOptionsUsage(25, { token: true })}
  --harness URL          another name for --url
  --sp-metadata FILE|URL upload this SP metadata to the application first
  --accept-status N      accepted means: the ACS answers HTTP N
  --accept-location RE   accepted means: the ACS redirects to a URL matching RE
  --accept-body RE       accepted means: the page reached after the ACS matches RE
                         (the --accept-* rules combine; without any, accepted means "answered
                         like the genuine login": same status, same redirect path)
  --scenario ID          run only this scenario (repeatable; default: every scenario)
  --generic-sp           leave out the scenarios whose verdict follows RingCentral's own rules
                         (email and number attributes required): for an SP that is not RingCentral
  --json                 print the report as one JSON object on stdout
  -h, --help             this text

Exit status:
  0  every scenario passed
  1  some scenario failed: an attack was accepted, a genuine response was refused,
     or a scenario could not be driven
  2  bad usage (missing or malformed option, unknown scenario, unreadable file)
  3  the audit could not run (harness unreachable or refusing the token, unknown
     application, the genuine login failed)
  130  interrupted (Ctrl-C); the queued scenario is cleared first

Examples:
  sso-harness audit-sp --app ringcentral --email bob@acme.test --password bob-password-1 \\
    --login-url 'http://localhost:8400/sp/login?email={email}'
  sso-harness audit-sp --app my-sp --sp-metadata https://sp.example.com/saml/metadata \\
    --login-url https://sp.example.com/sso/start --email audit@example.com \\
    --accept-location '/dashboard$' --json > scorecard.json
  sso-harness audit-sp --app my-sp --login-url https://sp.example.com/login --email a@example.com \\
    --password "$PW" --scenario signature-removed --scenario wrong-audience`;

/** The real process (no standard input): Ctrl-C stops the audit after it has cleaned up. */
function interruptibleProcessIo(): CliIo {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal };
}

const OPTIONS = {
  app: { type: 'string' },
  'login-url': { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  ...HARNESS_URL_OPTION,
  harness: { type: 'string' },
  ...ADMIN_TOKEN_OPTION,
  'sp-metadata': { type: 'string' },
  'accept-status': { type: 'string' },
  'accept-location': { type: 'string' },
  'accept-body': { type: 'string' },
  scenario: { type: 'string', multiple: true },
  'generic-sp': { type: 'boolean', default: false },
} as const;

function regex(option: string, source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (err) {
    throw new UsageError(`--${option} is not a valid regular expression: ${errorMessage(err)}`);
  }
}

function acceptRule(values: CommandArgs<typeof OPTIONS>['values']): AcceptRule | undefined {
  const rule: AcceptRule = {};
  const status = values['accept-status'];
  if (status !== undefined) {
    if (!/^[1-5][0-9]{2}$/.test(status)) throw new UsageError(`--accept-status must be an HTTP status code, not ${status}`);
    rule.status = Number(status);
  }
  const location = regex('accept-location', values['accept-location']);
  if (location) rule.location = location;
  const body = regex('accept-body', values['accept-body']);
  if (body) rule.body = body;
  return Object.keys(rule).length > 0 ? rule : undefined;
}

async function loadSpMetadata(source: string, fetchImpl: typeof fetch): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const { timeoutMs, maxBytes } = DEFAULT_INPUT_LIMITS;
    const cannot = (why: string) => new AuditError('AUDIT_SETUP', `cannot fetch the SP metadata from ${source}: ${why}`);
    let res: Response;
    try {
      res = await fetchImpl(source, { headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw cannot(describeFetchFailure(err, timeoutMs));
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw cannot(`HTTP ${res.status}`);
    }
    try {
      return (await readPeerBody(res, { maxBytes, timeoutMs })).toString('utf8');
    } catch (err) {
      if (err instanceof PeerBodyError) throw cannot(err.message);
      throw err;
    }
  }
  try {
    return await readFile(source, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the SP metadata file ${source}: ${errorCode(err) ?? errorMessage(err)}`);
  }
}

/** The scorecard: one row per scenario, then a summary line. */
export function formatScorecard(report: AuditReport, colour: boolean): string {
  const c = paint(colour);
  const header = ['scenario', 'row', 'expected', 'observed', 'result', 'detail'];
  const cells = report.rows.map((r) => [r.scenario, r.row === undefined ? '' : String(r.row), r.expected, r.observed, r.pass ? 'pass' : 'FAIL', r.detail]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[], style?: (i: number, text: string) => string): string =>
    row
      .map((text, i) => {
        const padded = i === row.length - 1 ? text : text.padEnd(widths[i] ?? 0);
        return style ? style(i, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [
    `${c.bold('SP audit')} of IdP application ${report.app}, ACS ${report.acsUrl}`,
    `accepted means: ${report.acceptance}`,
    ...report.notes.map((n) => c.dim(`note: ${n}`)),
    '',
    c.bold(line(header)),
  ];
  report.rows.forEach((r, k) => {
    out.push(
      line(cells[k] ?? [], (i, text) => {
        if (i === 4) return r.pass ? c.green(text) : c.red(text);
        if (i === 3 && r.observed === 'error') return c.yellow(text);
        return text;
      }),
    );
  });
  out.push('', summaryLine(report, c));
  return `${out.join('\n')}\n`;
}

/** The first few ids; the table lists them all. */
function listSome(ids: readonly string[], max = 6): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

function summaryLine(report: AuditReport, c: Paint): string {
  const total = report.rows.length;
  const counts = `${total} scenarios: ${report.passed} passed, ${report.failed} failed`;
  if (report.failed === 0) return c.green(`${counts}. Every attack was rejected.`);
  const accepted = report.acceptedAttacks;
  const profileFaults = report.acceptedProfileFaults ?? [];
  const refused = report.rows.filter((r) => r.expected === 'accept' && r.observed === 'reject').length;
  const errors = report.rows.filter((r) => r.observed === 'error').length;
  const parts = [
    accepted.length > 0 && `${accepted.length} attack${accepted.length === 1 ? '' : 's'} accepted (${listSome(accepted)})`,
    profileFaults.length > 0 &&
      `${profileFaults.length} RingCentral rule${profileFaults.length === 1 ? '' : 's'} not enforced (${listSome(profileFaults)}; --generic-sp leaves these out)`,
    refused > 0 && `${refused} genuine variant${refused === 1 ? '' : 's'} refused`,
    errors > 0 && `${errors} could not be driven`,
  ].filter(Boolean);
  return c.red(`${counts}: ${parts.join('; ')}.`);
}

/** Progress on stderr: one line per step and scenario, or on a terminal one line rewritten in place. */
function progressPrinter(stderr: Writer): (event: AuditProgress) => void {
  const live = stderr.isTTY === true;
  return (event) => {
    if (event.kind === 'step') {
      stderr.write(`${live ? '\r\x1b[K' : ''}${event.message}\n`);
      return;
    }
    const text = `[${event.index}/${event.total}] ${event.row.scenario}: ${event.row.observed}${event.row.pass ? '' : ' (FAIL)'}`;
    if (!live) stderr.write(`${text}\n`);
    else stderr.write(`\r\x1b[K${text}${event.index === event.total ? '\n' : ''}`);
  };
}

async function audit({ values }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  const missing = (['app', 'login-url', 'email'] as const).filter((name) => !values[name]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  const harness = harnessUrl(values, io.env);
  const token = adminToken(values, io.env);
  const fetchImpl = io.fetch ?? fetch;
  const accept = acceptRule(values);
  const password = values.password ?? io.env.SSO_HARNESS_AUDIT_PASSWORD;
  const spMetadata = values['sp-metadata'] === undefined ? undefined : await loadSpMetadata(values['sp-metadata'], fetchImpl);

  const report = await auditSp({
    harnessUrl: harness,
    adminToken: token,
    app: values.app ?? '',
    loginUrl: values['login-url'] ?? '',
    email: values.email ?? '',
    fetch: fetchImpl,
    onProgress: progressPrinter(io.stderr),
    ...(io.signal && { signal: io.signal }),
    ...(password !== undefined && { password }),
    ...(spMetadata !== undefined && { spMetadata }),
    ...(accept && { accept }),
    ...(values.scenario && { scenarios: values.scenario }),
    profile: values['generic-sp'] ? 'generic' : 'ringcentral',
  });
  writeResult(io, values.json, report, () => formatScorecard(report, colourFor(io)));
  return report.failed === 0 ? EXIT_STATUS.ok : EXIT_STATUS.failed;
}

/** Runs `audit-sp` with these arguments; resolves to the exit status. */
export function runAuditSpCommand(argv: string[], io: CliIo = interruptibleProcessIo()): Promise<number> {
  return runCommand({
    name: 'audit-sp',
    usage: AUDIT_SP_USAGE,
    options: OPTIONS,
    positionals: false,
    knownError: (err) => {
      if (io.signal?.aborted) return { status: EXIT_STATUS.interrupted, message: 'interrupted; nothing is left queued' };
      if (err instanceof AuditError) return { status: err.code === 'AUDIT_OPTIONS' ? EXIT_STATUS.usage : EXIT_STATUS.cannotRun, message: err.message };
      return undefined;
    },
    unexpectedStatus: EXIT_STATUS.cannotRun,
    // The progress line may still be on the terminal; the message is kept as the audit wrote it.
    fail: (status, message) => {
      io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}sso-harness audit-sp: ${message}\n`);
      return status;
    },
    run: audit,
  }, argv, io);
}
