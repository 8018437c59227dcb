// What `sso-harness start` prints once it serves: where to begin, the consoles, what state it
// started on (the demo, a config file's seed, a blank one, or one restored from the store), and
// the admin token. After --blank it also gives the first step of the setup, ready to paste.
import type { ResolvedConfig } from '../harness/config.js';
import { DEMO_ACCOUNT, DEMO_USERS } from '../harness/demo.js';
import { describeStore } from '../store/open.js';

export interface BannerInput {
  config: ResolvedConfig;
  adminTokenGenerated: boolean;
  /** How this start began: the demo, a config file's seed, or blank (--blank). */
  start: { kind: 'demo' } | { kind: 'seed'; file: string; users: number; applications: number; accounts: number; appIds: readonly string[] } | { kind: 'blank' };
  /** The earlier seeding's mark when the store held state and nothing was seeded now. */
  restored?: { what: string; at: string } | undefined;
  /** Where a blank start moved the state the store held. */
  setAsideTo?: string | undefined;
}

/** A value inside single quotes for a POSIX shell. */
const quoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function firstSteps(config: ResolvedConfig): string[] {
  const auth = `-H ${quoted(`Authorization: Bearer ${config.adminToken}`)} -H 'Content-Type: application/json'`;
  const app = JSON.stringify({ template: 'ringcentral', mydomain: new URL(config.spBaseUrl).host });
  const account = JSON.stringify({ name: DEMO_ACCOUNT.name, id: DEMO_ACCOUNT.id });
  return [
    'First steps (README, "The golden path"):',
    `  1. IdP: add the RingCentral application, with "Add an application" at ${config.idpBaseUrl}/idp/admin, or`,
    `     curl ${auth} \\`,
    `       -d ${quoted(app)} ${config.idpBaseUrl}/idp/api/apps`,
    '  2. SP: create the account that will trust it:',
    `     curl ${auth} \\`,
    `       -d ${quoted(account)} ${config.spBaseUrl}/sp/api/accounts`,
  ];
}

export function startBanner(input: BannerInput): string {
  const { config, start, restored } = input;
  const lines = [
    `sso-harness is running at ${config.baseUrl}`,
    '',
    `  SP login (start here)  ${config.spBaseUrl}/sp/login`,
    `  SP metadata            ${config.spBaseUrl}/sp/metadata`,
    `  IdP portal             ${config.idpBaseUrl}/idp/portal`,
  ];
  const appIds = restored ? [] : start.kind === 'demo' ? ['ringcentral'] : start.kind === 'seed' ? start.appIds : [];
  for (const id of appIds) lines.push(`  IdP metadata URL       ${config.idpBaseUrl}/idp/apps/${id}/metadata`);
  lines.push(
    '',
    'Consoles (sign in with the admin token below):',
    `  IdP console            ${config.idpBaseUrl}/idp/admin`,
    `  SP admin               ${config.spBaseUrl}/sp/admin`,
    `  Trace viewer           ${config.baseUrl}/debug`,
    '',
  );
  if (start.kind === 'blank') {
    // The store was opened empty (see startEmpty), whatever a mark in it says.
    lines.push('Started blank: no IdP users or applications, no SP accounts.');
    if (input.setAsideTo) lines.push(`The state the store held is kept in ${input.setAsideTo} (--store with that file starts on it again).`);
    lines.push('A restart without --blank keeps what you set up from here; --blank starts over.', '', ...firstSteps(config));
  } else if (restored) {
    lines.push(`Restored the state first set up with ${restored.what} on ${restored.at}: nothing was seeded now.`);
    lines.push(
      config.store.kind === 'sqlite'
        ? 'To start over, pass --blank (this state is moved aside, not deleted), or --store memory.'
        : 'To start over, give --store another database, or --store memory.',
    );
  } else if (start.kind === 'demo') {
    lines.push(`Demo account ${DEMO_ACCOUNT.name}; IdP users (email / password):`);
    for (const u of DEMO_USERS) lines.push(`  ${u.email.padEnd(18)} ${u.password.padEnd(18)} ${u.bound ? 'bound to RingCentral' : 'not bound (denied)'}`);
  } else {
    lines.push(`Seeded from ${start.file}: ${start.users} IdP users, ${start.applications} applications, ${start.accounts} SP accounts.`);
  }
  lines.push('', `State: ${describeStore(config.store)}`);
  lines.push('', `Admin API token (Authorization: Bearer …): ${config.adminToken}${input.adminTokenGenerated ? '  (generated; set SSO_HARNESS_ADMIN_TOKEN to fix it)' : ''}`, '');
  return `${lines.join('\n')}\n`;
}
