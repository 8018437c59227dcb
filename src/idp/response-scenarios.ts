// Which response the IdP sends: the application's default scenario, one queued for the next
// login only, or one a tester picked on the login page; and the material the attacks need
// (the previous response for replays, an attacker key, a weak key).
import { generateKeyPair, loadSigningKey, pinnedCertificate, type SigningKey } from '../crypto/keys.js';
import { HarnessError } from '../errors.js';
import type { ResponseSpec } from '../saml/response-builder.js';
import { RESPONSE_SCENARIOS, scenarioById } from '../saml/scenarios/catalogue.js';
import type { ResponseScenario, ScenarioOutput } from '../saml/scenarios/types.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { Store } from '../store/types.js';
import { encryptIfAsked } from './assertion-encryption.js';
import type { IdpApp } from './model.js';

const ANY_APP = '*';
const NEXT_TTL_MS = 60 * 60_000;
const PREVIOUS_TTL_MS = 24 * 60 * 60_000;
/** One response (a few KB) per user session that signed in lately: about 8 MB at most. */
const PREVIOUS_KEPT = 1_000;

/** Whose response it is: the replay scenario only ever sends a user's own previous response, in the same IdP session. */
export interface ResponseHolder {
  userId: string;
  sessionId: string;
}

export function requireScenario(id: string): ResponseScenario {
  const scenario = scenarioById(id);
  if (!scenario) {
    throw new HarnessError('INPUT_INVALID', `no response scenario ${id}`, {
      expected: 'an id from GET /idp/api/scenarios',
      received: id,
      fields: { scenario: 'unknown' },
    });
  }
  return scenario;
}

export const IDP_NEXT_RESPONSE = expiringMap<string>(MAP.idpNextResponse);

export class ResponseScenarios {
  private readonly next;
  /**
   * The last response sent to each IdP user in each IdP session, per application, for the replay
   * scenario: one user can never be handed another user's assertion (nor one from another of
   * their sessions). Kept in this process only (the newest PREVIOUS_KEPT): a replay test sends it
   * again right away, and writing every response to the store would add a write of several KB to
   * each login. After a restart there is nothing to replay yet (the scenario says so).
   */
  private readonly previous = new Map<string, { xml: string; expiresAtMs: number }>();
  private attackKeys: Promise<{ attacker: SigningKey; weak: SigningKey }> | undefined;

  constructor(
    store: Store,
    private readonly nowMs: () => number,
  ) {
    this.next = store.expiring(IDP_NEXT_RESPONSE);
  }

  list(): readonly ResponseScenario[] {
    return RESPONSE_SCENARIOS;
  }

  /** Queues a scenario for the next response of one application (or of any, when no app is given). */
  async queueNext(scenarioId: string, appId?: string): Promise<void> {
    requireScenario(scenarioId);
    await this.next.set(appId ?? ANY_APP, scenarioId, this.nowMs() + NEXT_TTL_MS);
  }

  async clearNext(appId?: string): Promise<void> {
    await this.next.delete(appId ?? ANY_APP);
  }

  /** The scenario the next response of this application would use, without using it up. */
  async peek(app: IdpApp): Promise<string> {
    const now = this.nowMs();
    return (await this.next.get(app.id, now)) ?? (await this.next.get(ANY_APP, now)) ?? app.responseScenario;
  }

  /** Picks the scenario for a response: the tester's choice, else a queued one (used up), else the app's. */
  async choose(app: IdpApp, picked?: string): Promise<ResponseScenario> {
    const now = this.nowMs();
    const queued = (await this.next.take(app.id, now)) ?? (await this.next.take(ANY_APP, now));
    return requireScenario(picked || queued || app.responseScenario);
  }

  async build(scenario: ResponseScenario, app: IdpApp, spec: ResponseSpec, holder: ResponseHolder): Promise<ScenarioOutput> {
    const keys = scenario.kind === 'valid' ? undefined : await this.keys();
    const slot = JSON.stringify([app.id, holder.userId, holder.sessionId]);
    const kept = this.previous.get(slot);
    const previousXml = kept && kept.expiresAtMs > this.nowMs() ? kept.xml : undefined;
    const spCert = app.sp.encryptionCertificates?.[0] ?? app.sp.certificates[0];
    const output = scenario.build({
      spec,
      attackerKey: keys?.attacker ?? spec.signing.key,
      weakKey: keys?.weak ?? spec.signing.key,
      ...(previousXml !== undefined && { previousXml }),
      ...(spCert !== undefined && { spCertificate: pinnedCertificate(spCert) }),
    });
    const sent = { ...output, xml: await encryptIfAsked(app, scenario, spec, output.xml) };
    this.previous.delete(slot);
    this.previous.set(slot, { xml: sent.xml, expiresAtMs: this.nowMs() + PREVIOUS_TTL_MS });
    if (this.previous.size > PREVIOUS_KEPT) this.previous.delete(this.previous.keys().next().value as string);
    return sent;
  }

  /** Generated once per process, on first use: keys the SP has never seen. */
  private keys(): Promise<{ attacker: SigningKey; weak: SigningKey }> {
    this.attackKeys ??= Promise.all([
      generateKeyPair({ commonName: 'sso-harness attacker' }),
      generateKeyPair({ commonName: 'sso-harness weak key', bits: 1024 }),
    ]).then(([attacker, weak]) => ({ attacker: loadSigningKey(attacker), weak: loadSigningKey(weak) }));
    return this.attackKeys;
  }
}
