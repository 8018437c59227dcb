// `sso-harness keys show|next|rotate --app ID`: an IdP application's signing-key rollover on a
// running harness, through its admin API. `next` makes the key the metadata announces beside
// the current one, `rotate` makes it current (the old key is dropped).
import { AdminApiError, IdpAdminClient } from '../client/admin/admin-clients.js';
import type { AppKeyView } from '../idp/app-keys.js';
import { runCommand, UsageError, writeResult, type CommandArgs } from './command.js';
import { ADMIN_TOKEN_OPTION, adminToken, HARNESS_URL_OPTION, harnessOptionsUsage, harnessUrl } from './harness-options.js';
import { EXIT_STATUS, failWith, processIo, startProgress, type CliIo, type Paint } from './output.js';
import { causeMessage } from '../caught-error.js';

export const KEYS_ROTATION_USAGE = `Usage: sso-harness keys show|next|rotate --app ID [--url URL] [--token T] [options]

Signing-key rollover of an IdP application on a running harness:
  show      the current key and the next one, if any
  next      make the next key (published in the metadata beside the current one); replaces
            an earlier next key
  rotate    make the next key current; the old key is dropped

  --app ID        the IdP application
${harnessOptionsUsage(18, { token: true })}
  --days N        next: certificate lifetime in days (default 3650)
  --json          the keys as JSON
  -h, --help      this text

Exit status:
  0  done
  1  refused by the harness (no such application, no next key to rotate to, bad token)
  2  bad usage
  3  the harness is unreachable

Examples:
  sso-harness keys next --app ringcentral --token="$TOKEN"
  SSO_HARNESS_URL=http://localhost:9000 sso-harness keys rotate --app ringcentral --json`;

export const ROTATION_COMMANDS = ['show', 'next', 'rotate'] as const;
type RotationCommand = (typeof ROTATION_COMMANDS)[number];

const OPTIONS = {
  app: { type: 'string' },
  ...HARNESS_URL_OPTION,
  ...ADMIN_TOKEN_OPTION,
  days: { type: 'string' },
} as const;

export function formatKeys(appId: string, keys: readonly AppKeyView[], p: Paint): string {
  const lines = [p.bold(`Signing keys of ${appId}`)];
  for (const k of keys) {
    const c = k.certificate;
    const days = c.expired ? p.red('expired') : c.daysToExpiry < 30 ? p.yellow(`${c.daysToExpiry} days left`) : `${c.daysToExpiry} days left`;
    lines.push(
      `  ${p.bold(k.role.padEnd(7))}  ${c.subject.replace(/\n/g, ', ')}  (${k.origin === 'harness' ? 'the harness IdP key' : k.origin})`,
      `           valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)} (${days})`,
      `           SHA-256 ${c.sha256}`,
    );
  }
  if (!keys.some((k) => k.role === 'next')) lines.push(p.dim('  no next key: `sso-harness keys next --app ID` makes one'));
  return `${lines.join('\n')}\n`;
}

async function rotation({ values, positionals }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  const command = positionals[0] as RotationCommand;
  if (!ROTATION_COMMANDS.includes(command) || positionals.length > 1) throw new UsageError(`unknown keys command ${positionals.join(' ')}`);
  if (!values.app) throw new UsageError('missing --app');
  const token = adminToken(values, io.env);
  const url = harnessUrl(values, io.env);
  let days: number | undefined;
  if (values.days !== undefined) {
    if (command !== 'next') throw new UsageError('--days applies to keys next only');
    days = Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 36500) throw new UsageError(`--days must be a whole number of days (1-36500), not ${values.days}`);
  }
  const client = new IdpAdminClient({ url, adminToken: token, ...(io.fetch && { fetch: io.fetch }) });
  const progress = startProgress(io, command === 'next' ? 'generating an RSA-2048 key' : `${command} keys of ${values.app}`);
  let keys: AppKeyView[];
  try {
    keys =
      command === 'show'
        ? await client.appKeys(values.app)
        : command === 'next'
          ? await client.makeNextKey(values.app, days === undefined ? {} : { days })
          : await client.rotateKeys(values.app);
  } catch (err) {
    if (err instanceof AdminApiError) return failWith(io, 'keys', EXIT_STATUS.failed, err.message);
    return failWith(io, 'keys', EXIT_STATUS.cannotRun, `${url} is unreachable: ${causeMessage(err)}`);
  } finally {
    progress.stop();
  }
  const app = values.app;
  writeResult(io, values.json, { app, keys }, (p) => formatKeys(app, keys, p));
  return EXIT_STATUS.ok;
}

/** Runs `keys show|next|rotate`; resolves to the exit status. */
export function runKeysRotationCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand({ name: 'keys', usage: KEYS_ROTATION_USAGE, options: OPTIONS, unexpectedStatus: EXIT_STATUS.failed, run: rotation }, argv, io);
}
