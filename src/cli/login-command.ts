// `sso-harness login`: a headless SP-initiated login, against a running harness or any SP, with
// every hop printed: where the browser went, what it was answered, and where it landed.
import { headlessLogin, type HeadlessLoginResult } from '../client/browser/headless-login.js';
import { runCommand, UsageError, writeResult, type CommandArgs } from './command.js';
import { HARNESS_URL_OPTION, harnessOptionsUsage, harnessUrl } from './harness-options.js';
import { EXIT_STATUS, failWith, processIo, startProgress, type CliIo, type Paint } from './output.js';
import { causeMessage, errorCause, errorCode } from '../caught-error.js';

export const LOGIN_USAGE = `Usage: sso-harness login --email E [--url URL] [--password P] [options]

Signs in the way a browser does, without one: the SP login page, the signed AuthnRequest to the
IdP, the IdP sign-in form, the auto-posted SAMLResponse to the SP's ACS, the landing page. Each
hop is printed; on success, the SP session (email, NameID) as the harness SP reports it.

  --email E             the user to sign in as
  --password P          the IdP password (default $SSO_HARNESS_LOGIN_PASSWORD)
${harnessOptionsUsage(24, { token: false })}
  --sp-login-url URL    start at another SP instead; {email} is replaced by the email
  --idp-login NAME      the name typed at the IdP, when it is not the email
  --timeout SECONDS     per request (default 10)
  --json                the hops and the result as one JSON object
  -h, --help            this text

Exit status:
  0  signed in
  1  the login was refused (by the IdP or the SP); the error is printed
  2  bad usage
  3  the SP or IdP is unreachable

Examples:
  sso-harness login --email ann@acme.test --password ann-password-1
  SSO_HARNESS_LOGIN_PASSWORD=bob-password-1 sso-harness login --email bob@acme.test --json
  SSO_HARNESS_URL=http://localhost:9000 sso-harness login --email ann@acme.test --password=ann-password-1
  sso-harness login --email ann@acme.test --password "$PW" \\
    --sp-login-url 'https://sp.example.com/sso/start?login_hint={email}'`;

const OPTIONS = {
  email: { type: 'string' },
  password: { type: 'string' },
  ...HARNESS_URL_OPTION,
  'sp-login-url': { type: 'string' },
  'idp-login': { type: 'string' },
  timeout: { type: 'string', default: '10' },
} as const;

function httpUrl(option: string, value: string): string {
  try {
    const u = new URL(value.replace(/\{email\}/g, 'x'));
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new UsageError(`--${option} must be an http(s) URL, not ${value}`);
}

export function formatLogin(result: HeadlessLoginResult, c: Paint): string {
  const lines = result.hops.map((h, i) => {
    const status = h.status >= 400 ? c.red(String(h.status)) : h.status >= 300 ? c.cyan(String(h.status)) : c.green(String(h.status));
    return `${String(i + 1).padStart(2)}. ${h.method.padEnd(4)} ${h.url.length > 110 ? `${h.url.slice(0, 109)}…` : h.url} → ${status}${
      h.location ? c.dim(` ${h.location.length > 80 ? `${h.location.slice(0, 79)}…` : h.location}`) : ''
    }`;
  });
  if (result.ok) {
    lines.push('', c.green('signed in'));
    for (const [k, v] of Object.entries(result.session ?? {})) {
      if (v === null || typeof v !== 'object') lines.push(`  ${k.padEnd(14)} ${String(v)}`);
    }
  } else {
    const e = result.error;
    lines.push('', c.red(`refused: ${[e?.code, e?.message].filter(Boolean).join(': ') || `HTTP ${e?.status ?? '?'}`}`));
  }
  return `${lines.join('\n')}\n`;
}

async function login({ values }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (!values.email) throw new UsageError('missing --email');
  const password = values.password ?? io.env.SSO_HARNESS_LOGIN_PASSWORD;
  if (password === undefined) throw new UsageError('no password: give --password or set SSO_HARNESS_LOGIN_PASSWORD');
  const timeoutMs = Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout must be a number of seconds, not ${values.timeout}`);
  const spBaseUrl = harnessUrl(values, io.env);
  const loginUrl = values['sp-login-url'] === undefined ? undefined : httpUrl('sp-login-url', values['sp-login-url']);

  const base = io.fetch ?? fetch;
  const progress = startProgress(io, 'signing in');
  let hop = 0;
  const timed: typeof fetch = (input, init) => {
    progress.update(`hop ${++hop}: ${init?.method ?? 'GET'} ${input instanceof Request ? input.url : String(input)}`);
    return base(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };
  let result: HeadlessLoginResult;
  try {
    result = await headlessLogin({
      spBaseUrl,
      email: values.email,
      password,
      fetch: timed,
      ...(loginUrl !== undefined && { loginUrl }),
      ...(values['idp-login'] !== undefined && { idpLogin: values['idp-login'] }),
    });
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (errorCode(errorCause(err)) ?? causeMessage(err));
    return failWith(io, 'login', EXIT_STATUS.cannotRun, `cannot reach ${loginUrl ?? spBaseUrl}: ${why}`);
  } finally {
    progress.stop();
  }
  writeResult(io, values.json, result, (c) => formatLogin(result, c));
  if (result.ok) return EXIT_STATUS.ok;
  const e = result.error;
  return failWith(io, 'login', EXIT_STATUS.failed, `the login was refused: ${[e?.code, e?.message].filter(Boolean).join(': ') || `HTTP ${e?.status ?? '?'}`}`);
}

/** Runs `login` with these arguments; resolves to the exit status. */
export function runLoginCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand({ name: 'login', usage: LOGIN_USAGE, options: OPTIONS, positionals: false, unexpectedStatus: EXIT_STATUS.failed, run: login }, argv, io);
}
