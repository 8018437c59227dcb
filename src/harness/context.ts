// Builds the two sides from a resolved config: keys, store, trace, IdP and SP, and plugs the
// provisioning engine (Identity Management) into the IdP.
import { ensureKeyPair, loadSigningKey, type KeyPairPem } from '../crypto/keys.js';
import { HARNESS_IDP_CLIENT_ID, type OAuthClientConfig, type ResolvedConfig } from './config.js';
import { HarnessError } from '../errors.js';
import { IdentityProvider } from '../idp/identity-provider.js';
import { IdentityManagementService } from '../provisioning/identity-management.js';
import { ServiceProvider } from '../sp/service-provider.js';
import { openStore } from '../store/open.js';
import { TABLE, table } from '../store/tables.js';
import type { Store } from '../store/types.js';
import { TraceLog } from '../trace/trace-log.js';

/**
 * The harness's own marks, kept through a blank start: what seeded the state (`seed`), and each
 * OAuth client secret made at the first start (`oauth-client-secret:<client id>`).
 */
export type HarnessMark = { id: string; what: string; at: string; done: boolean } | { id: string; secret: string };

export const HARNESS_MARKS = table<HarnessMark>(TABLE.harnessMeta);

export interface HarnessContext {
  config: ResolvedConfig;
  store: Store;
  trace: TraceLog;
  idp: IdentityProvider;
  sp: ServiceProvider;
  /** Identity Management: the IdP's provisioning engine (also `idp.provisioning`). */
  provisioning: IdentityManagementService;
  /** Stops the background work (password-expiry sweep, event subscription). */
  stop(): void;
  /** What seeded this state, once something did (a restart from a durable store skips seeding). */
  seedMark(): Promise<SeedMark | undefined>;
  markSeeded(what: string, done?: boolean): Promise<void>;
  /** Runs `fn` holding the store's seeding lock (across instances on PostgreSQL), waiting at most `seedWaitMs`. */
  whileSeedLocked<R>(fn: () => Promise<R>): Promise<R>;
  /** Removes what a seeding that stopped half-way left: every row but the harness's own marks. */
  clearUnfinishedSeed(): Promise<void>;
}

export interface SeedMark {
  /** `demo`, `config file <path>`, `seed`, `blank`… */
  what: string;
  at: string;
  /** False while the seeding runs: a store left that way was interrupted half-way. */
  done: boolean;
}



async function keyPair(config: ResolvedConfig, side: 'idp' | 'sp'): Promise<KeyPairPem> {
  return config.keys[side] ?? ensureKeyPair(config.dataDir, side, `sso-harness ${side === 'idp' ? 'IdP' : 'SP'} signing`);
}

/** Builds the two sides over `store`, or over the configured store (opened here, closed on failure). */
export async function createHarnessContext(config: ResolvedConfig, store?: Store): Promise<HarnessContext> {
  const [idpPem, spPem] = await Promise.all([keyPair(config, 'idp'), keyPair(config, 'sp')]);
  const spEncryptionPem = await spEncryptionKeyPair(config);
  if (store) return build(await withKeptSecrets(config, store), store, idpPem, spPem, spEncryptionPem);
  const opened = await openStore(config.store, config.startEmpty ? { emptyBut: [HARNESS_MARKS] } : {});
  try {
    return build(await withKeptSecrets(config, opened), opened, idpPem, spPem, spEncryptionPem);
  } catch (err) {
    await opened.close();
    throw err;
  }
}

/**
 * OAuth client secrets made at start are kept in the store the first time, and that one is used
 * from then on: tokens and the IdP's credentials stay valid across restarts, and every instance
 * sharing a store agrees on the secret.
 */
async function withKeptSecrets(config: ResolvedConfig, store: Store): Promise<ResolvedConfig> {
  if (!config.sp.oauthClients.some((c) => c.secretGenerated)) return config;
  const clients = await store.transaction(async (tx) => {
    const kept = tx.table(HARNESS_MARKS);
    const out: OAuthClientConfig[] = [];
    for (const client of config.sp.oauthClients) {
      if (!client.secretGenerated) {
        out.push(client);
        continue;
      }
      const id = `oauth-client-secret:${client.clientId}`;
      const row = (await kept.get(id)) ?? (await kept.insert({ id, secret: client.clientSecret }));
      if (!('secret' in row)) {
        throw new HarnessError('STORE_UNAVAILABLE', `the store's harness mark ${id} holds no secret; clear the store (or start with --blank) to have a new one made`);
      }
      out.push(Object.freeze({ ...client, clientSecret: row.secret }));
    }
    return out;
  });
  return Object.freeze({ ...config, sp: Object.freeze({ ...config.sp, oauthClients: Object.freeze(clients) }) });
}

/** The SP's encryption key pair, only when configured (RingCentral has none). */
async function spEncryptionKeyPair(config: ResolvedConfig): Promise<KeyPairPem | undefined> {
  if (!config.sp.encryptionKey) return undefined;
  return config.keys.spEncryption ?? ensureKeyPair(config.dataDir, 'sp-enc', 'sso-harness SP encryption');
}

function build(config: ResolvedConfig, store: Store, idpPem: KeyPairPem, spPem: KeyPairPem, spEncryptionPem?: KeyPairPem): HarnessContext {
  const trace = new TraceLog(
    { entries: config.traceLimit, maxMessageBytes: config.traceMaxMessageBytes, maxBytes: config.traceMaxBytes },
    () => config.clock.now(),
  );
  const idp = new IdentityProvider({
    store,
    baseUrl: config.idpBaseUrl,
    key: loadSigningKey(idpPem),
    clock: config.clock.withOffset(config.clockOffsetMs.idp),
    trace,
    passwordHashCost: config.passwordHashCost,
    assertionLifetimeSec: config.idp.assertionLifetimeSec,
    sessionLifetimeSec: config.idp.sessionLifetimeSec,
    allowedClockSkewSec: config.idp.clockSkewSec,
    requestMaxAgeSec: config.idp.requestMaxAgeSec,
    flavor: config.idpFlavor,
    ...(config.idp.entraTenantId !== undefined && { entraTenantId: config.idp.entraTenantId }),
    idmApiBaseUrl: config.spBaseUrl,
    log: config.log,
  });
  const sp = new ServiceProvider({
    store,
    baseUrl: config.spBaseUrl,
    entityId: config.sp.entityId,
    key: loadSigningKey(spPem),
    ...(spEncryptionPem && { encryptionKey: loadSigningKey(spEncryptionPem) }),
    clock: config.clock.withOffset(config.clockOffsetMs.sp),
    trace,
    passwordHashCost: config.passwordHashCost,
    fetch: config.fetch,
    signAuthnRequests: config.sp.signAuthnRequests,
    requestLifetimeSec: config.sp.requestLifetimeSec,
    maxOutstandingRequests: config.sp.maxOutstandingRequests,
    sessionLifetimeSec: config.sp.sessionLifetimeSec,
    metadataFetchTimeoutMs: config.sp.metadataFetchTimeoutMs,
    metadataMaxBytes: config.sp.metadataMaxBytes,
    oauthClients: config.sp.oauthClients,
  });
  // The IdP holds its own OAuth client credentials at the SP, as JumpCloud and Okta hold theirs.
  const client = config.sp.oauthClients.find((c) => c.clientId === HARNESS_IDP_CLIENT_ID) ?? config.sp.oauthClients[0];
  if (!client) throw new HarnessError('CONFIG_INVALID', 'sp.oauthClients has no client for the IdP\'s Identity Management');
  const provisioning = new IdentityManagementService({
    idp,
    store,
    client: { clientId: client.clientId, clientSecret: client.clientSecret },
    fetch: config.fetch,
    log: config.log,
  });
  idp.attachProvisioning(provisioning);
  const sweep = setInterval(() => {
    idp.directory.sweepExpiredPasswords().catch((err: unknown) => config.log(`password sweep failed: ${String(err)}`));
    // To Okta's scheduled imports ride the same tick (also on demand: POST /idp/api/maintenance/imports).
    provisioning.runDueImports().catch((err: unknown) => config.log(`scheduled imports failed: ${String(err)}`));
  }, config.idp.passwordSweepIntervalSec * 1000); // also on demand: POST /idp/api/maintenance/sweep
  sweep.unref();
  const stop = (): void => {
    clearInterval(sweep);
    provisioning.stop();
  };
  const meta = store.table(HARNESS_MARKS);
  const seedMark = async (): Promise<SeedMark | undefined> => {
    const row = await meta.get('seed');
    return row && 'what' in row ? { what: row.what, at: row.at, done: row.done !== false } : undefined;
  };
  const markSeeded = async (what: string, done = true): Promise<void> => {
    const row = { id: 'seed', what, at: new Date().toISOString(), done };
    await store.transaction(async (tx) => {
      const t = tx.table(HARNESS_MARKS);
      if (await t.get('seed')) await t.update(row);
      else await t.insert(row);
    });
  };
  const whileSeedLocked = <R>(fn: () => Promise<R>): Promise<R> => store.exclusive('seed', config.seedWaitMs, fn);
  const clearUnfinishedSeed = (): Promise<void> => store.clearAllBut([HARNESS_MARKS]);
  return { config, store, trace, idp, sp, provisioning, stop, seedMark, markSeeded, whileSeedLocked, clearUnfinishedSeed };
}
