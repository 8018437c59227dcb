// Crash safety: `sso-harness start` on a durable store takes a burst of concurrent SCIM creates
// and updates and admin writes, and is killed with SIGKILL mid-burst, three times. After each
// restart every write that got a 2xx is there, and nothing is half-written: every SCIM user has
// its addresses, extension and licences, the account's pools add up, every application has its
// settings.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScimSettingsInput } from '../../src/sp/inputs.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';
import { announcedUrl, startProcess } from '../support/start-process.js';
import { patchOp, rcUser, scimTarget, SCIM_JSON } from '../scim/support.js';

const POOL = 100_000;
const SETTINGS: ScimSettingsInput = {
  rules: { activationEmail: false },
  extensions: [{ country: 'US', available: POOL }],
  digitalLines: POOL,
};
const KILL_AFTER_ACKS = [15, 60, 140];
const SEED_NOTHING = 'seed-nothing.json';
const WORKERS = 8;

interface Acked {
  users: Map<string, { email: string; street: string }>;
  /** The highest department counter acknowledged per user id. */
  patched: Map<string, number>;
  idpUsers: Map<string, string>;
  apps: Map<string, string>;
}

/**
 * `sso-harness start` from the sources, on a free port; resolves with its URL once it listens.
 * Its config file seeds nothing, so the first start marks the state the setup made as its own
 * and keeps it (--blank would start empty instead).
 */
async function startChild(store: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = startProcess(['--config', join(dataDir, SEED_NOTHING), '--port', '0', '--data', dataDir, '--store', store]);
  return { child, url: await announcedUrl(child) };
}

async function send(url: string, method: string, token: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': type }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch {
    return undefined; // the connection died with the process: not acknowledged
  }
}

/** Writes from WORKERS loops until `killAt` acknowledgements, then SIGKILLs the server mid-burst. */
async function burst(base: string, child: ChildProcess, scimToken: string, acked: Acked, round: number, killAt: number): Promise<void> {
  let acks = 0;
  let killed = false;
  const ack = (): void => {
    acks += 1;
    if (acks >= killAt && !killed) {
      killed = true;
      child.kill('SIGKILL');
    }
  };
  const worker = async (w: number): Promise<void> => {
    let mine: string | undefined;
    for (let i = 0; !killed; i++) {
      const tag = `r${round}w${w}i${i}`;
      switch (i % 4) {
        case 0: {
          const email = `${tag}@crash.test`;
          const street = `${i} ${tag} Street`;
          const body = rcUser(email, { addresses: [{ type: 'work', streetAddress: street, locality: 'Belmont', country: 'US' }] });
          const r = await send(`${base}/scim/v2/Users`, 'POST', scimToken, body, SCIM_JSON);
          if (r?.status === 201) {
            mine = r.body.id as string;
            acked.users.set(mine, { email, street });
            ack();
          }
          break;
        }
        case 1:
        case 2: {
          if (!mine) break;
          const counter = round * 10_000 + i;
          const r = await send(`${base}/scim/v2/Users/${mine}`, 'PATCH', scimToken, patchOp({ op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: `d${counter}` }), SCIM_JSON);
          if (r?.status === 200) {
            acked.patched.set(mine, counter);
            ack();
          }
          break;
        }
        default: {
          const admin = i % 8 === 3
            ? await send(`${base}/idp/api/users`, 'POST', ADMIN_TOKEN, { email: `${tag}@idp.test`, firstName: 'Crash', lastName: tag, password: `pw-${tag}-1`, addresses: [{ type: 'work', country: 'US', locality: tag }] })
            : await send(`${base}/idp/api/apps`, 'POST', ADMIN_TOKEN, { template: 'ringcentral', displayLabel: `RC ${tag}`, mydomain: `${tag}.example.test` });
          if (admin?.status === 201) {
            if (i % 8 === 3) acked.idpUsers.set(admin.body.id as string, tag);
            else acked.apps.set(admin.body.id as string, `RC ${tag}`);
            ack();
          }
        }
      }
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  await exited;
}

async function verify(base: string, scimToken: string, accountId: string, acked: Acked): Promise<void> {
  const list = await send(`${base}/sp/api/accounts/${accountId}/users`, 'GET', ADMIN_TOKEN);
  const users = new Map((list?.body as unknown as { id: string; email: string; department?: string; addresses: { streetAddress?: string; country?: string }[]; extension?: { number: string; country?: string }; digitalLine?: boolean; createdVia: string }[]).map((u) => [u.id, u]));
  for (const [id, want] of acked.users) {
    const got = users.get(id);
    assert.ok(got, `acknowledged SCIM user ${want.email} (${id}) is missing`);
    assert.equal(got.email, want.email);
    assert.equal(got.addresses[0]?.streetAddress, want.street, `${want.email} lost its address`);
  }
  for (const [id, counter] of acked.patched) {
    const got = users.get(id);
    assert.ok(got, `patched user ${id} is missing`);
    assert.ok(Number(got.department?.slice(1)) >= counter, `${id}: department ${got.department}, an acknowledged write set d${counter}`);
  }
  const scimUsers = [...users.values()].filter((u) => u.createdVia === 'scim');
  for (const u of scimUsers) {
    assert.ok(u.addresses.length > 0 && u.addresses[0]?.country === 'US', `${u.email} is half-written (no address)`);
    assert.ok(u.extension?.number && u.extension.country === 'US' && u.digitalLine === true, `${u.email} is half-written (no extension or licence)`);
  }
  const numbers = scimUsers.map((u) => u.extension?.number);
  assert.equal(new Set(numbers).size, numbers.length, 'two users hold one extension number');
  const settings = (await send(`${base}/sp/api/accounts/${accountId}/scim`, 'GET', ADMIN_TOKEN))?.body as { extensions: { country: string; available: number }[]; digitalLines: number };
  assert.equal((settings.extensions.find((p) => p.country === 'US')?.available ?? 0) + scimUsers.length, POOL, 'the extension pool and the users holding extensions do not add up');
  assert.equal(settings.digitalLines + scimUsers.length, POOL, 'the DigitalLines pool and the users holding one do not add up');

  const idpUsers = new Map(((await send(`${base}/idp/api/users`, 'GET', ADMIN_TOKEN))?.body as unknown as { id: string; lastName: string; addresses?: { locality?: string }[] }[]).map((u) => [u.id, u]));
  for (const [id, tag] of acked.idpUsers) {
    assert.equal(idpUsers.get(id)?.lastName, tag, `acknowledged IdP user ${tag} is missing`);
    assert.equal(idpUsers.get(id)?.addresses?.[0]?.locality, tag, `IdP user ${tag} lost its address`);
  }
  const apps = new Map(((await send(`${base}/idp/api/apps`, 'GET', ADMIN_TOKEN))?.body as unknown as { id: string; displayLabel: string; missing: string[]; sp: { acs: { url: string }[] } }[]).map((a) => [a.id, a]));
  for (const [id, label] of acked.apps) assert.equal(apps.get(id)?.displayLabel, label, `acknowledged application ${label} is missing`);
  for (const app of apps.values()) {
    if (!app.displayLabel.startsWith('RC r')) continue;
    assert.deepEqual(app.missing, [], `${app.displayLabel} is half-written`);
    assert.match(app.sp.acs[0]?.url ?? '', /\.example\.test\/sp\/acs$/, `${app.displayLabel} lost its settings`);
  }
  assert.ok(scimToken);
}

function crashSuite(label: string, storeFor: (dataDir: string) => Promise<{ store: string; cleanup: () => Promise<void> }>): void {
  describe(`SIGKILL mid-burst (${label})`, function () {
    this.timeout(120_000);
    let dataDir: string;
    let store: string;
    let cleanup: () => Promise<void>;

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'sso-harness-crash-'));
      await writeFile(join(dataDir, SEED_NOTHING), '{}');
      ({ store, cleanup } = await storeFor(dataDir));
    });
    after(async () => {
      await cleanup?.();
      await rm(dataDir, { recursive: true, force: true });
    });

    it(`loses no acknowledged write and leaves nothing half-written, over ${KILL_AFTER_ACKS.length} kill points`, async () => {
      // An account with a SCIM token, made in process on the same store (tokens are durable too).
      const setup = await startTestServer({ store, dataDir });
      let accountId: string;
      let token: string;
      try {
        ({ accountId, token } = await scimTarget(setup, SETTINGS, 'Crash Corp'));
      } finally {
        await setup.close();
      }
      const acked: Acked = { users: new Map(), patched: new Map(), idpUsers: new Map(), apps: new Map() };
      for (const [round, killAt] of KILL_AFTER_ACKS.entries()) {
        const { child, url } = await startChild(store, dataDir);
        await burst(url, child, token, acked, round, killAt);
        const again = await startChild(store, dataDir);
        try {
          await verify(again.url, token, accountId, acked);
        } finally {
          again.child.kill('SIGTERM');
          await new Promise((resolve) => again.child.once('exit', resolve));
        }
      }
      assert.ok(acked.users.size >= KILL_AFTER_ACKS.length && acked.patched.size > 0 && acked.apps.size > 0, JSON.stringify([acked.users.size, acked.patched.size, acked.apps.size, acked.idpUsers.size]));
    });
  });
}

crashSuite('SQLite', async (dataDir) => ({ store: join(dataDir, 'harness.db'), cleanup: async () => undefined }));

describe('crash safety on PostgreSQL', function () {
  before(function () {
    requirePostgres(this);
  });
  crashSuite('PostgreSQL', async () => {
    const db = await freshDatabase();
    return { store: db.url, cleanup: db.drop };
  });
});
