// `sso-harness scim-token --account ID`: mints a static bearer token for one SP account's SCIM
// API on a running harness (what Entra ID's "Secret Token" or Okta's "HTTP Header" field takes),
// through the admin API. The token is printed once; the harness keeps only its hash.
import { AdminApiError, SpAdminClient } from '../client/admin/admin-clients.js';
import { runCommand, UsageError, writeResult, type CommandArgs } from './command.js';
import { EXIT_STATUS, failWith, processIo, startProgress, type CliIo } from './output.js';
import { ADMIN_TOKEN_OPTION, adminToken, HARNESS_URL_OPTION, harnessOptionsUsage, harnessUrl } from './harness-options.js';
import { causeMessage } from '../caught-error.js';

export const SCIM_TOKEN_USAGE = `Usage: sso-harness scim-token --account ID [--url URL] [--token ADMIN_TOKEN] [--name N] [options]

Mints a static SCIM bearer token for one SP account of a running harness and prints it once:
the token alone on stdout (so TOKEN=$(sso-harness scim-token …) works), and on stderr its id,
name and the SCIM base URL to type next to it. The harness stores only the token's SHA-256; list
and revoke tokens with GET/DELETE /sp/api/accounts/ID/scim-tokens or the SP console.

  --account ID     the SP account the token grants (it reaches no other)
  --name N         what the token is for, shown in the token list (default scim-token <date>)
${harnessOptionsUsage(19, { token: true })}
  --json           the token, its id, name, creation time and the SCIM base URL as one JSON object
  -h, --help       this text

Exit status:
  0  minted
  1  refused by the harness (no such account, too many tokens, bad admin token)
  2  bad usage
  3  the harness is unreachable

Examples:
  sso-harness scim-token --account acme --name "Entra ID provisioning"
  SSO_HARNESS_URL=https://harness.example.test sso-harness scim-token --account acme --json`;

const OPTIONS = {
  account: { type: 'string' },
  name: { type: 'string' },
  ...HARNESS_URL_OPTION,
  ...ADMIN_TOKEN_OPTION,
} as const;

async function mint({ values }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (!values.account) throw new UsageError('missing --account');
  const token = adminToken(values, io.env);
  const url = harnessUrl(values, io.env);
  const name = values.name ?? `scim-token ${new Date((io.now ?? Date.now)()).toISOString().slice(0, 10)}`;

  const client = new SpAdminClient({ url, adminToken: token, ...(io.fetch && { fetch: io.fetch }) });
  const progress = startProgress(io, `minting a SCIM token for ${values.account}`);
  let minted;
  try {
    minted = await client.mintScimToken(values.account, { name });
  } catch (err) {
    if (err instanceof AdminApiError) return failWith(io, 'scim-token', EXIT_STATUS.failed, err.message);
    return failWith(io, 'scim-token', EXIT_STATUS.cannotRun, `${url} is unreachable: ${causeMessage(err)}`);
  } finally {
    progress.stop();
  }
  const account = values.account;
  writeResult(io, values.json, { ...minted, accountId: account }, () => `${minted.token}\n`);
  if (!values.json) {
    io.stderr.write(
      `Minted SCIM token ${minted.name} (${minted.id}) for account ${account}; it is not shown again.\n` +
        `SCIM base URL (Tenant URL): ${minted.scimBaseUrl}\n` +
        `Send it as: Authorization: Bearer <token>\n`,
    );
  }
  return EXIT_STATUS.ok;
}

/** Runs `scim-token` with these arguments; resolves to the exit status. */
export function runScimTokenCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand({ name: 'scim-token', usage: SCIM_TOKEN_USAGE, options: OPTIONS, positionals: false, unexpectedStatus: EXIT_STATUS.failed, run: mint }, argv, io);
}
