// The pre-wired demo: the seed's whole setup sequence, done through the admin APIs over HTTP
// exactly as an administrator would click it (JumpCloud 1, RingCentral 1, JumpCloud 2,
// RingCentral 2, authorize a group), by src/harness/seed.ts.
import { applySeed, type Seed, type SeedTarget } from './seed.js';

export { AdminClient } from './seed.js';

export interface DemoUser {
  email: string;
  firstName: string;
  lastName: string;
  number: string;
  department: string;
  password: string;
  /** Bound to the RingCentral application at the IdP. */
  bound: boolean;
  /** Has a RingCentral credential (password) at the SP too. */
  spPassword?: string;
}

export const DEMO_ACCOUNT = { id: 'acme', name: 'Acme Corp' };
export const DEMO_APP_ID = 'ringcentral';
export const DEMO_GROUP = 'RingCentral Users';

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Admin', number: '+16505550101', department: 'IT', password: 'ann-password-1', bound: true, spPassword: 'ann-rc-password-1' },
  { email: 'bob@acme.test', firstName: 'Bob', lastName: 'Builder', number: '+16505550102', department: 'Sales', password: 'bob-password-1', bound: true },
  { email: 'carol@acme.test', firstName: 'Carol', lastName: 'Contractor', number: '+16505550103', department: 'Support', password: 'carol-password-1', bound: false },
];

/** The demo as a seed: three users, one group, the RingCentral application and the Acme account, wired. */
export const DEMO_SEED: Seed = {
  users: DEMO_USERS.map((u) => ({
    email: u.email, firstName: u.firstName, lastName: u.lastName, number: u.number, department: u.department, password: u.password,
    addresses: [{ type: 'work', locality: 'Belmont', region: 'CA', country: 'US' }],
  })),
  groups: [{ name: DEMO_GROUP, members: DEMO_USERS.filter((u) => u.bound).map((u) => u.email) }],
  applications: [{ template: 'ringcentral', id: DEMO_APP_ID, displayLabel: 'RingCentral', groups: [DEMO_GROUP] }],
  accounts: [
    {
      ...DEMO_ACCOUNT,
      users: DEMO_USERS.map((u) => ({
        email: u.email, firstName: u.firstName, lastName: u.lastName, number: u.number, department: u.department,
        role: u.email.startsWith('ann@') ? 'super-admin' : 'user', ...(u.spPassword && { password: u.spPassword }),
      })),
      sso: { emailMapping: { kind: 'custom', name: 'email' }, loginMode: 'sso-or-password' },
    },
  ],
  wire: [{ app: DEMO_APP_ID, account: DEMO_ACCOUNT.id }],
};

/** Seeds both sides; `idpBaseUrl`/`spBaseUrl` are the public origins the sides see each other at. */
export async function seedDemo(opts: SeedTarget): Promise<void> {
  await applySeed(DEMO_SEED, opts);
}
