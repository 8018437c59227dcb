#!/usr/bin/env node
// The `sso-harness` command. `start` runs the server (the pre-wired demo unless --blank);
// `audit-sp` scores another SP against the response scenarios of a running harness.
import { readFileSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import { errorCode, errorMessage } from '../caught-error.js';

const USAGE = `Usage: sso-harness start [--config FILE] [--port N] [--data DIR] [--store WHERE] [--idp-flavor jumpcloud|okta] [--blank]   (see start --help)
       sso-harness audit-sp --app ID --login-url URL --email E [options]   (see audit-sp --help)
       sso-harness audit-scim --scim-url URL (--token T | --oauth TOKEN_URL …) [--dialect D] [--profile P]   (see audit-scim --help)
       sso-harness decode [value|file|url|-] [--cert FILE | --metadata FILE|URL]   (see decode --help)
       sso-harness keys generate [--bits N] [--days N] [--out DIR]   (see keys --help)
       sso-harness keys show|next|rotate --app ID [--url URL] [--token T]   (see keys rotate --help)
       sso-harness login --email E [--url URL] [--password P]   (see login --help)
       sso-harness inspect <file|url|-> [--json] [--strict]   (see inspect --help)
       sso-harness check <idp-metadata> <sp-metadata> [--json] [--strict]   (see check --help)
       sso-harness scim-token --account ID [--url URL] [--token T] [--name N]   (see scim-token --help)
       sso-harness --version

The commands that talk to a running harness (login, keys show|next|rotate, audit-sp, scim-token)
find it at --url, else $SSO_HARNESS_URL, else http://localhost:8400, and sign in to its admin API
with --token, else $SSO_HARNESS_ADMIN_TOKEN (write --token=T when T begins with "-").

Examples:
  sso-harness start
  sso-harness start --config examples/harness.config.yaml --port 0
  SSO_HARNESS_ADMIN_TOKEN=$(openssl rand -hex 24) sso-harness start --port 9000`;

// Each command's module loads when that command runs: `start` never loads the decoder, the
// headless browser clients or the metadata checker, and the others never load the server.
const COMMANDS = new Map<string, (argv: string[]) => Promise<number>>([
  ['start', async (argv) => (await import('./start-command.js')).runStartCommand(argv)],
  ['audit-sp', async (argv) => (await import('./audit-sp-command.js')).runAuditSpCommand(argv)],
  ['audit-scim', async (argv) => (await import('./audit-scim-command.js')).runAuditScimCommand(argv)],
  ['decode', async (argv) => (await import('./decode-command.js')).runDecodeCommand(argv)],
  ['keys', async (argv) => (await import('./keys-command.js')).runKeysCommand(argv)],
  ['login', async (argv) => (await import('./login-command.js')).runLoginCommand(argv)],
  ['inspect', async (argv) => (await import('./inspect-command.js')).runInspectCommand(argv)],
  ['check', async (argv) => (await import('./check-command.js')).runCheckCommand(argv)],
  ['scim-token', async (argv) => (await import('./scim-token-command.js')).runScimTokenCommand(argv)],
]);

/** The installed package's version: package.json sits two folders up, from src/cli/ and dist/cli/ alike. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const run = command === undefined ? undefined : COMMANDS.get(command);
  if (run) {
    process.exitCode = await run(rest);
  } else if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
  } else if (command === undefined || ['help', '--help', '-h'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    process.stderr.write(`sso-harness: unknown command ${command}\n\n${USAGE}\n`);
    process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof HarnessError) process.stderr.write(`sso-harness: ${err.code}: ${err.message}\n`);
  else if (errorCode(err) === 'EADDRINUSE') process.stderr.write(`sso-harness: the port is already in use; pick another with --port\n`);
  else process.stderr.write(`sso-harness: ${errorMessage(err)}\n`);
  process.exitCode = 1;
});
