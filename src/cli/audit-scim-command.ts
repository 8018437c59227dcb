// `sso-harness audit-scim`: scores anyone's SCIM server as the provisioning clients of JumpCloud,
// Okta and Microsoft Entra ID drive it, as a table (or one JSON object) and an exit status.
import { AUDIT_SCIM_DEFAULTS, AuditError, SCIM_DIALECTS, auditScim, harnessActivation, type ScimAuditReport, type ScimAuditRow, type ScimCredentials, type ScimDialect } from '../client/audit/audit-scim.js';
import { runCommand, UsageError, writeResult, type CommandArgs } from './command.js';
import { colourFor, EXIT_STATUS, paint, processIo, type CliIo, type Writer } from './output.js';

export const AUDIT_SCIM_USAGE = `Usage: sso-harness audit-scim --scim-url URL (--token TOKEN | --oauth TOKEN_URL …) [options]

Drives a SCIM 2.0 server the way the provisioning clients of JumpCloud, Okta and Microsoft Entra
ID do, each with its own call sequence and request shapes (discovery, lookups, create, read back,
update, deactivate, reactivate, delete, paging, throttling), and scores every step. It creates
throwaway users and deletes them (only them) at the end.

  --scim-url URL            the SCIM base URL, e.g. https://api.example.com/scim/v2
  --token TOKEN             a static bearer token (default $SSO_HARNESS_SCIM_TOKEN)
  --oauth TOKEN_URL         OAuth 2.0 instead: the token endpoint, with
    --client-id ID            the client id
    --client-secret S         the client secret (default $SSO_HARNESS_AUDIT_CLIENT_SECRET)
    --refresh-token R         the refresh_token grant (default $SSO_HARNESS_AUDIT_REFRESH_TOKEN);
                              without one, the client_credentials grant
    --scope S                 a scope to ask for
  --dialect D               jumpcloud, okta, entra or all (default all; repeatable)
  --profile P               generic (default) or ringcentral: RingCentral's rules as expected
                            behaviour (userName is the work email, names and address required,
                            a country with an unassigned extension, pending until activated,
                            reactivate before delete); those steps are marked "RC"
  --activate-in-harness ACCOUNT
                            the server is an sso-harness: activate each pending user from the SP
                            account's outbox (admin token: $SSO_HARNESS_ADMIN_TOKEN); without
                            it the steps after activation are skipped
  --email-domain D          the domain of the users it creates (default ${AUDIT_SCIM_DEFAULTS.emailDomain})
  --country C               their address country (default ${AUDIT_SCIM_DEFAULTS.country})
  --max-rate N              requests per second, at most (default ${AUDIT_SCIM_DEFAULTS.maxRate})
  --time-limit S            stop after S seconds (default ${AUDIT_SCIM_DEFAULTS.timeLimitMs / 1000}); cleanup gets 60 more
  --json                    print the report as one JSON object on stdout
  -h, --help                this text

Exit status:
  0  every step passed (skipped steps aside)
  1  some step failed
  2  bad usage, or the server (or its token endpoint) cannot be reached or refuses the credentials

Examples:
  sso-harness audit-scim --scim-url https://api.example.com/scim/v2 --token "$TOKEN"
  sso-harness audit-scim --scim-url http://localhost:8400/scim/v2 --token "$(sso-harness scim-token --account acme)" \\
    --profile ringcentral --activate-in-harness acme --dialect entra
  sso-harness audit-scim --scim-url https://api.example.com/scim/v2 --oauth https://api.example.com/oauth/token \\
    --client-id audit --refresh-token "$REFRESH" --json > scorecard.json`;

const OPTIONS = {
  'scim-url': { type: 'string' },
  token: { type: 'string' },
  oauth: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'refresh-token': { type: 'string' },
  scope: { type: 'string' },
  dialect: { type: 'string', multiple: true },
  profile: { type: 'string' },
  'activate-in-harness': { type: 'string' },
  'email-domain': { type: 'string' },
  country: { type: 'string' },
  'max-rate': { type: 'string' },
  'time-limit': { type: 'string' },
} as const;

type Values = CommandArgs<typeof OPTIONS>['values'];

function credentials(values: Values, env: NodeJS.ProcessEnv): ScimCredentials {
  const token = values.token ?? env.SSO_HARNESS_SCIM_TOKEN;
  if (values.oauth !== undefined) {
    if (values.token !== undefined) throw new UsageError('give --token or --oauth, not both');
    const clientSecret = values['client-secret'] ?? env.SSO_HARNESS_AUDIT_CLIENT_SECRET;
    const refreshToken = values['refresh-token'] ?? env.SSO_HARNESS_AUDIT_REFRESH_TOKEN;
    if (!values['client-id'] || !clientSecret) throw new UsageError('--oauth needs --client-id and --client-secret (or $SSO_HARNESS_AUDIT_CLIENT_SECRET)');
    if (!/^https?:\/\//i.test(values.oauth)) throw new UsageError(`--oauth must be the token endpoint's http(s) URL, not ${values.oauth}`);
    return { oauth: { tokenUrl: values.oauth, clientId: values['client-id'], clientSecret, ...(refreshToken && { refreshToken }), ...(values.scope && { scope: values.scope }) } };
  }
  if (!token) throw new UsageError('no credentials: give --token (or $SSO_HARNESS_SCIM_TOKEN), or --oauth TOKEN_URL with --client-id and --client-secret');
  return { token };
}

function dialects(values: Values): ScimDialect[] {
  const given = (values.dialect ?? ['all']).flatMap((d) => d.split(','));
  if (given.includes('all')) return [...SCIM_DIALECTS];
  const unknown = given.filter((d) => !(SCIM_DIALECTS as readonly string[]).includes(d));
  if (unknown.length > 0) throw new UsageError(`--dialect is jumpcloud, okta, entra or all, not ${unknown.join(', ')}`);
  return given as ScimDialect[];
}

function wholeNumber(option: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`--${option} must be a whole number from 1 to ${max}, not ${value}`);
  return Number(value);
}

const OUTCOME = { pass: 'pass', fail: 'FAIL', skip: 'skip' } as const;

/** The scorecard: one row per step, per dialect, then a summary line. */
export function formatScimScorecard(report: ScimAuditReport, colour: boolean): string {
  const c = paint(colour);
  const out = [`${c.bold('SCIM audit')} of ${report.scimUrl}, profile ${report.profile}, ${report.requests} requests`, ...report.notes.map((n) => c.dim(`note: ${n}`)), ''];
  for (const r of report.rows) {
    const result = OUTCOME[r.outcome].padEnd(4);
    const mark = r.outcome === 'pass' ? c.green(result) : r.outcome === 'fail' ? c.red(result) : c.yellow(result);
    const step = `${r.dialect} ${r.step}${r.spProfile ? ' (RC)' : ''}`;
    out.push(`${mark}  ${c.bold(step)}: ${r.title}`, `      sends:    ${r.sends}`, `      expects:  ${r.expects}`, `      observed: ${r.observed}`);
  }
  const counts = `${report.rows.length} steps: ${report.passed} passed, ${report.failed} failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}`;
  const failed = Object.entries(report.failures).map(([d, steps]) => `${d}: ${steps.join(', ')}`);
  out.push('', report.failed === 0 ? c.green(`${counts}.`) : c.red(`${counts} (${failed.join('; ')}).`));
  return `${out.join('\n')}\n`;
}

function progress(stderr: Writer): (row: ScimAuditRow) => void {
  return (row) => {
    if (stderr.isTTY === true) stderr.write(`\r\x1b[K${row.dialect} ${row.step}: ${row.outcome}`);
  };
}

async function audit({ values }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (!values['scim-url']) throw new UsageError('missing --scim-url');
  const profile = values.profile ?? 'generic';
  if (profile !== 'generic' && profile !== 'ringcentral') throw new UsageError(`--profile is generic or ringcentral, not ${profile}`);
  const creds = credentials(values, io.env);
  const account = values['activate-in-harness'];
  let activate;
  if (account !== undefined) {
    const adminToken = io.env.SSO_HARNESS_ADMIN_TOKEN;
    if (!adminToken) throw new UsageError('--activate-in-harness needs the harness admin token in $SSO_HARNESS_ADMIN_TOKEN');
    activate = harnessActivation({ harnessUrl: new URL(values['scim-url']).origin, adminToken, accountId: account, ...(io.fetch && { fetch: io.fetch }) });
  }
  const maxRate = wholeNumber('max-rate', values['max-rate'], 1000);
  const timeLimit = wholeNumber('time-limit', values['time-limit'], 24 * 3600);
  const report = await auditScim({
    scimUrl: values['scim-url'],
    credentials: creds,
    dialects: dialects(values),
    profile,
    ...(activate && { activate }),
    ...(values['email-domain'] && { emailDomain: values['email-domain'] }),
    ...(values.country && { country: values.country }),
    ...(maxRate !== undefined && { maxRate }),
    ...(timeLimit !== undefined && { timeLimitMs: timeLimit * 1000 }),
    ...(io.fetch && { fetch: io.fetch }),
    onRow: progress(io.stderr),
  });
  if (io.stderr.isTTY === true) io.stderr.write('\r\x1b[K');
  writeResult(io, values.json, report, () => formatScimScorecard(report, colourFor(io)));
  return report.failed === 0 ? EXIT_STATUS.ok : EXIT_STATUS.failed;
}

/** Runs `audit-scim` with these arguments; resolves to the exit status. */
export function runAuditScimCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand(
    {
      name: 'audit-scim',
      usage: AUDIT_SCIM_USAGE,
      options: OPTIONS,
      positionals: false,
      // A usage mistake, an unreachable server and refused credentials are all 2: nothing was audited.
      knownError: (err) => (err instanceof AuditError ? { status: EXIT_STATUS.usage, message: err.message } : undefined),
      unexpectedStatus: EXIT_STATUS.usage,
      run: audit,
    },
    argv,
    io,
  );
}
