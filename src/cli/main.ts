#!/usr/bin/env node
// The `sso-harness` command. `start` runs the server (the pre-wired demo unless --blank);
// `audit-sp` scores another SP against the response scenarios of a running harness.
import { parseArgs } from 'node:util';
import { seedDemo, DEMO_USERS, DEMO_ACCOUNT } from '../demo.js';
import { HarnessError } from '../errors.js';
import { listen } from '../server.js';
import { runAuditSpCommand } from './audit-sp-command.js';

const USAGE = `Usage: sso-harness start [--port N] [--data DIR] [--base-url URL] [--blank]
       sso-harness audit-sp --app ID --login-url URL --email E [options]   (see audit-sp --help)

  --port N        port to listen on (default: $PORT or 8400)
  --host H        interface to listen on (default 127.0.0.1)
  --data DIR      where keys are kept (default ./.sso-harness)
  --base-url URL  public origin, when it is not http://localhost:<port>
  --blank         start empty instead of the pre-wired demo

Examples:
  sso-harness start
  SSO_HARNESS_ADMIN_TOKEN=$(openssl rand -hex 24) sso-harness start --port 9000`;

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'base-url': { type: 'string' },
      blank: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const portText = values.port ?? process.env.PORT ?? '8400';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HarnessError('CONFIG_INVALID', `--port must be a port number (0-65535), not ${portText}`);
  }
  const running = await listen({
    port,
    demo: !values.blank,
    ...(values.host && { host: values.host }),
    ...(values.data && { dataDir: values.data }),
    ...(values['base-url'] && { baseUrl: values['base-url'] }),
  });
  const { config } = running;
  if (config.demo) {
    await seedDemo({ idpBaseUrl: config.idpBaseUrl, spBaseUrl: config.spBaseUrl, adminToken: config.adminToken });
  }
  const lines = [
    `sso-harness is running at ${config.baseUrl}`,
    '',
    `  SP login (start here)  ${config.spBaseUrl}/sp/login`,
    `  SP metadata            ${config.spBaseUrl}/sp/metadata`,
    `  IdP portal             ${config.idpBaseUrl}/idp/portal`,
  ];
  if (config.demo) {
    lines.push(`  IdP metadata URL       ${config.idpBaseUrl}/idp/apps/ringcentral/metadata`, '', `Demo account ${DEMO_ACCOUNT.name}; IdP users (email / password):`);
    for (const u of DEMO_USERS) lines.push(`  ${u.email.padEnd(18)} ${u.password.padEnd(18)} ${u.bound ? 'bound to RingCentral' : 'not bound (denied)'}`);
  }
  lines.push('', `Admin API token (Authorization: Bearer …): ${config.adminToken}${running.adminTokenGenerated ? '  (generated; set SSO_HARNESS_ADMIN_TOKEN to fix it)' : ''}`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'audit-sp':
      process.exitCode = await runAuditSpCommand(rest);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      process.stderr.write(`sso-harness: unknown command ${command}\n\n${USAGE}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof HarnessError) process.stderr.write(`sso-harness: ${err.code}: ${err.message}\n`);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') process.stderr.write(`sso-harness: the port is already in use; pick another with --port\n`);
  else process.stderr.write(`sso-harness: ${(err as Error).message ?? String(err)}\n`);
  process.exitCode = 1;
});
