// Builds the two sides from a resolved config: keys, store, trace, IdP and SP, and plugs the
// provisioning engine (Identity Management) into the IdP.
import { ensureKeyPair, loadSigningKey, type KeyPairPem } from './crypto/keys.js';
import { HARNESS_IDP_CLIENT_ID, type ResolvedConfig } from './config.js';
import { HarnessError } from './errors.js';
import { IdentityProvider } from './idp/identity-provider.js';
import { IdentityManagementService } from './provisioning/identity-management.js';
import { ServiceProvider } from './sp/service-provider.js';
import { MemoryStore } from './store/memory.js';
import type { Store } from './store/types.js';
import { TraceLog } from './trace/trace-log.js';

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
}

/** How often the IdP suspends users whose password expired (also on demand: POST /idp/api/maintenance/sweep). */
const PASSWORD_SWEEP_INTERVAL_MS = 60_000;

async function keyPair(config: ResolvedConfig, side: 'idp' | 'sp'): Promise<KeyPairPem> {
  return config.keys[side] ?? ensureKeyPair(config.dataDir, side, `sso-harness ${side === 'idp' ? 'IdP' : 'SP'} signing`);
}

export async function createHarnessContext(config: ResolvedConfig, store: Store = new MemoryStore()): Promise<HarnessContext> {
  const [idpPem, spPem] = await Promise.all([keyPair(config, 'idp'), keyPair(config, 'sp')]);
  const trace = new TraceLog(config.traceLimit, () => config.clock.now());
  const idp = new IdentityProvider({
    store,
    baseUrl: config.idpBaseUrl,
    key: loadSigningKey(idpPem),
    clock: config.clock.withSkew(0),
    trace,
    passwordHashCost: config.passwordHashCost,
    assertionLifetimeSec: config.idp.assertionLifetimeSec,
    sessionLifetimeSec: config.idp.sessionLifetimeSec,
    flavor: config.idpFlavor,
    idmApiBaseUrl: config.spBaseUrl,
    log: config.log,
  });
  const sp = new ServiceProvider({
    store,
    baseUrl: config.spBaseUrl,
    entityId: config.sp.entityId,
    key: loadSigningKey(spPem),
    clock: config.clock.withSkew(0),
    trace,
    passwordHashCost: config.passwordHashCost,
    fetch: config.fetch,
    signAuthnRequests: config.sp.signAuthnRequests,
    requestLifetimeSec: config.sp.requestLifetimeSec,
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
  }, PASSWORD_SWEEP_INTERVAL_MS);
  sweep.unref();
  const stop = (): void => {
    clearInterval(sweep);
    provisioning.stop();
  };
  return { config, store, trace, idp, sp, provisioning, stop };
}
