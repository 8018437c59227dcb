// The library API: start the harness in-process and drive it from a test suite.
// Node's types are part of it (keys are KeyObjects, certificates X509Certificates, resolveConfig
// reads process.env): @types/node is a dependency, and the declarations name it for a user
// whose tsconfig lists no `types`.
/// <reference types="node" preserve="true" />
import { ControllableClock } from './clock.js';
import { headlessLogin, type HeadlessLoginResult } from './client/browser/headless-login.js';
import type { HarnessConfigInput } from './harness/config.js';
import { IdpAdminClient, SpAdminClient, type ScenarioSummary } from './client/admin/admin-clients.js';
import { DEMO_USERS, seedDemo } from './harness/demo.js';
import type { IdentityProvider } from './idp/identity-provider.js';
import { applySeed, type Seed } from './harness/seed.js';
import { listen } from './harness/server.js';
import type { ServiceProvider } from './sp/service-provider.js';
import type { TraceEntry } from './trace/trace-log.js';

export { createApp, type HarnessApp } from './harness/app.js';
export { resolveConfig, type HarnessConfigInput, type ResolvedConfig } from './harness/config.js';
export { ControllableClock, type Clock } from './clock.js';
export { HarnessError, ERROR_CODES, type ErrorCode } from './errors.js';
export { DEMO_USERS, DEMO_ACCOUNT, DEMO_APP_ID, DEMO_SEED, seedDemo, AdminClient } from './harness/demo.js';
export { applySeed, type Seed, type SeedTarget, type SeedResult, type SeedApplication, type SeedAccount, type SeedGroup, type SeedWiring } from './harness/seed.js';
export { parseConfigFile, type ConfigFile, type ConfigProblem } from './harness/config-file.js';
export {
  IdpAdminClient,
  SpAdminClient,
  AdminApiError,
  type AdminClientOptions,
  type IdpAppView,
  type ScenarioSummary,
  type MetadataImportView,
  type ScimSettingsView,
  type ScimConnection,
} from './client/admin/admin-clients.js';
export type { AccountOAuthClientView, RegisteredAccountClient } from './sp/oauth/account-clients.js';
export type { MintedScimToken, ScimTokenView } from './sp/scim-tokens.js';
export type { IdpApp, IdpGroup, PublicIdpUser } from './idp/model.js';
export type { Account, PublicSpUser, SsoSettings, ScimSettings } from './sp/model.js';
export type { IdmView } from './idp/identity-management.js';
export type { AppKeyView, NextKeyInput } from './idp/app-keys.js';
export type { SlotView as IdpCertificateSlotView } from './sp/idp-certificates.js';
export { headlessLogin, type HeadlessLoginResult, type LoginHop } from './client/browser/headless-login.js';
export { auditSp, AuditError, type AuditSpOptions, type AuditReport, type AuditRow, type AuditProgress, type AcceptRule } from './client/audit/audit-sp.js';
export { auditScim, harnessActivation, SCIM_DIALECTS, type AuditScimOptions, type ScimAuditReport, type ScimAuditRow, type ScimDialect, type ScimProfile, type ScimCredentials } from './client/audit/audit-scim.js';
export type { TraceEntry } from './trace/trace-log.js';

export interface StartHarnessOptions extends HarnessConfigInput {
  /** Seeded after the demo (or instead of it, with `demo: false`), through the admin APIs. */
  seed?: Seed;
}

export interface LoginOptions {
  /** The IdP password; defaults to the demo user's or the seeded user's. */
  password?: string;
  /** What to type in the IdP's login box when it is not the email. */
  idpLogin?: string;
}

export interface LoginOutcome extends HeadlessLoginResult {
  /** Every trace entry of this login (AuthnRequest and Response, both sides). */
  trace: TraceEntry[];
}

export interface Harness {
  url: string;
  adminToken: string;
  idp: IdentityProvider;
  sp: ServiceProvider;
  /** The clock both sides follow; `idp.clock` / `sp.clock` add per-side skew. */
  clock: ControllableClock;
  /** A headless SP-initiated login over HTTP. The password defaults to the demo (or seeded) user's. */
  login(email: string, opts?: LoginOptions): Promise<LoginOutcome>;
  /** The same as `login`. */
  loginAs(email: string, opts?: LoginOptions): Promise<LoginOutcome>;
  /** The response scenarios `idp.nextResponse(id)` and the app setting `responseScenario` take. */
  scenarios(): ScenarioSummary[];
  /** Admin API clients for both sides, already pointed at this harness with its token. */
  admin: { idp: IdpAdminClient; sp: SpAdminClient };
  close(): Promise<void>;
}

/**
 * Starts both sides in-process. Defaults for a test suite: port 0 on 127.0.0.1, the demo
 * seeded, a controllable clock. Pass `demo: false` for an empty harness, `seed` to add your own.
 */
export async function startHarness(options: StartHarnessOptions = {}): Promise<Harness> {
  const clock = options.clock ?? new ControllableClock();
  const { seed, ...harnessOptions } = options;
  const demo = harnessOptions.demo ?? true;
  const running = await listen(
    { port: 0, demo: true, ...harnessOptions, clock },
    {
      seed: {
        what: [demo ? 'demo' : 'blank', ...(seed ? ['seed'] : [])].join(' + '),
        run: async (target) => {
          if (demo) await seedDemo(target);
          if (seed) await applySeed(seed, target);
        },
      },
    },
  );
  const { config, app } = running;
  const passwords = new Map([...(config.demo ? DEMO_USERS : []), ...(seed?.users ?? [])].map((u) => [u.email.toLowerCase(), u.password]));
  const login: Harness['login'] = async (email, opts = {}) => {
    const password = opts.password ?? passwords.get(email.toLowerCase());
    if (password === undefined) throw new TypeError(`login(${email}): no password given and ${email} is not a demo or seeded user`);
    const before = new Set(app.harness.trace.list().map((e) => e.id));
    const result = await headlessLogin({
      spBaseUrl: config.spBaseUrl,
      email,
      password,
      fetch: config.fetch,
      ...(opts.idpLogin !== undefined && { idpLogin: opts.idpLogin }),
    });
    return { ...result, trace: app.harness.trace.list().filter((e) => !before.has(e.id)) };
  };
  return {
    url: running.url,
    adminToken: config.adminToken,
    idp: app.harness.idp,
    sp: app.harness.sp,
    clock,
    login,
    loginAs: login,
    scenarios: () => app.harness.idp.scenarios.list().map(({ id, title, row, kind, expect }) => ({ id, title, ...(row !== undefined && { row }), kind, expect })),
    admin: {
      idp: new IdpAdminClient({ url: config.idpBaseUrl, adminToken: config.adminToken, fetch: config.fetch }),
      sp: new SpAdminClient({ url: config.spBaseUrl, adminToken: config.adminToken, fetch: config.fetch }),
    },
    close: () => running.close(),
  };
}

/** A headless SP-initiated login of `email` at a running harness (the same as `harness.loginAs`). */
export function loginAs(harness: Harness, email: string, opts?: LoginOptions): Promise<LoginOutcome> {
  return harness.loginAs(email, opts);
}
