// An IdP with Identity Management wired to the fake SP, a frozen clock and recorded retry waits.
import { ControllableClock } from '../../src/clock.js';
import type { IdmFlavor } from '../../src/idp/identity-management.js';
import { IdentityProvider } from '../../src/idp/identity-provider.js';
import type { UserInput } from '../../src/idp/inputs.js';
import { IdentityManagementService } from '../../src/provisioning/identity-management.js';
import { MemoryStore } from '../../src/store/memory.js';
import { TraceLog } from '../../src/trace/trace-log.js';
import { fixtureKey } from '../support/keys.js';
import { FAKE_CLIENT, FakeSp } from './fake-sp.js';

export const APP = 'ringcentral';

export interface IdmFixture {
  idp: IdentityProvider;
  idm: IdentityManagementService;
  sp: FakeSp;
  clock: ControllableClock;
  sleeps: number[];
  groupId: string;
  authorize(): Promise<unknown>;
  user(email: string, extra?: Partial<UserInput>): Promise<string>;
}

export async function idmFixture(flavor: IdmFlavor = 'jumpcloud'): Promise<IdmFixture> {
  const store = new MemoryStore();
  const clock = new ControllableClock().freeze('2030-01-01T00:00:00Z');
  const sp = new FakeSp();
  const idp = new IdentityProvider({
    store,
    baseUrl: 'http://idp.test',
    key: fixtureKey('idp'),
    clock,
    trace: new TraceLog(10, () => clock.now()),
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    assertionLifetimeSec: 300,
    sessionLifetimeSec: 3600,
    flavor,
    idmApiBaseUrl: sp.base,
  });
  const sleeps: number[] = [];
  const idm = new IdentityManagementService({
    idp,
    store,
    client: FAKE_CLIENT,
    fetch: sp.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  idp.attachProvisioning(idm);
  await idp.apps.create({ template: 'ringcentral', id: APP, mydomain: 'sp.test' });
  const group = await idp.directory.createGroup({ name: 'RingCentral Users' });
  await idp.apps.bindGroup(APP, group.id, true);
  return {
    idp,
    idm,
    sp,
    clock,
    sleeps,
    groupId: group.id,
    async authorize() {
      const { authorizeUrl } = await idm.configure(APP, {});
      const { code, state } = sp.issueCode(authorizeUrl);
      const result = await idm.completeAuthorization(APP, { code, state });
      await idm.idle();
      return result;
    },
    async user(email, extra = {}) {
      const u = await idp.directory.createUser({
        email,
        firstName: email.split('@')[0] ?? 'x',
        lastName: 'Tester',
        password: 'password-123',
        number: '+16505550100',
        department: 'IT',
        addresses: [{ type: 'work', locality: 'Belmont', country: 'US' }],
        ...extra,
      });
      return u.id;
    },
  };
}
