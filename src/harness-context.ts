// Builds the two sides from a resolved config: keys, store, trace, IdP and SP.
import { ensureKeyPair, loadSigningKey, type KeyPairPem } from './crypto/keys.js';
import type { ResolvedConfig } from './config.js';
import { IdentityProvider } from './idp/identity-provider.js';
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
}

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
  });
  return { config, store, trace, idp, sp };
}
