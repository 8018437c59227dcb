// The library API: start the harness in-process and drive it from a test suite.
import { ControllableClock } from './clock.js';
import { headlessLogin, type HeadlessLoginResult } from './client/headless-login.js';
import type { HarnessConfigInput } from './config.js';
import { DEMO_USERS, seedDemo } from './demo.js';
import type { IdentityProvider } from './idp/identity-provider.js';
import { listen } from './server.js';
import type { ServiceProvider } from './sp/service-provider.js';
import type { TraceEntry } from './trace/trace-log.js';

export { createApp, type HarnessApp } from './http/app.js';
export { resolveConfig, type HarnessConfigInput, type ResolvedConfig } from './config.js';
export { ControllableClock, type Clock } from './clock.js';
export { HarnessError, ERROR_CODES, type ErrorCode } from './errors.js';
export { DEMO_USERS, DEMO_ACCOUNT, DEMO_APP_ID, seedDemo, AdminClient } from './demo.js';
export { headlessLogin, type HeadlessLoginResult, type LoginHop } from './client/headless-login.js';
export { auditSp, AuditError, type AuditSpOptions, type AuditReport, type AuditRow, type AuditProgress, type AcceptRule } from './client/audit-sp.js';
export type { TraceEntry } from './trace/trace-log.js';

export interface StartHarnessOptions extends HarnessConfigInput {}

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
  /** A headless SP-initiated login over HTTP. The password defaults to the demo user's. */
  login(email: string, opts?: { password?: string; idpLogin?: string }): Promise<LoginOutcome>;
  close(): Promise<void>;
}

/**
 * Starts both sides in-process. Defaults for a test suite: port 0 on 127.0.0.1, the demo
 * seeded, a controllable clock. Pass `demo: false` for an empty harness.
 */
export async function startHarness(options: StartHarnessOptions = {}): Promise<Harness> {
  const clock = options.clock ?? new ControllableClock();
  const running = await listen({ port: 0, demo: true, ...options, clock });
  const { config, app } = running;
  try {
    if (config.demo) await seedDemo({ idpBaseUrl: config.idpBaseUrl, spBaseUrl: config.spBaseUrl, adminToken: config.adminToken, fetch: config.fetch });
  } catch (err) {
    await running.close();
    throw err;
  }
  const passwords = new Map(DEMO_USERS.map((u) => [u.email.toLowerCase(), u.password]));
  return {
    url: running.url,
    adminToken: config.adminToken,
    idp: app.harness.idp,
    sp: app.harness.sp,
    clock,
    async login(email, opts = {}) {
      const password = opts.password ?? passwords.get(email.toLowerCase());
      if (password === undefined) throw new TypeError(`login(${email}): no password given and ${email} is not a demo user`);
      const before = new Set(app.harness.trace.list().map((e) => e.id));
      const result = await headlessLogin({
        spBaseUrl: config.spBaseUrl,
        email,
        password,
        fetch: config.fetch,
        ...(opts.idpLogin !== undefined && { idpLogin: opts.idpLogin }),
      });
      return { ...result, trace: app.harness.trace.list().filter((e) => !before.has(e.id)) };
    },
    close: () => running.close(),
  };
}
