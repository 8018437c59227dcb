// Activation for a RingCentral-profile audit of an sso-harness: RingCentral activates a new user
// from its activation email, which no SCIM client can read; the harness keeps that email in the
// SP account's outbox (admin API), so the audit can follow the link as the user would.
import { AuditError } from '../errors.js';
import type { ActivateUser } from './ringcentral-steps.js';

export interface HarnessActivationOptions {
  /** The harness, e.g. http://localhost:8400. */
  harnessUrl: string;
  adminToken: string;
  /** The SP account whose SCIM API is audited. */
  accountId: string;
  fetch?: typeof fetch;
}

const TIMEOUT_MS = 20_000;

export function harnessActivation(opts: HarnessActivationOptions): ActivateUser {
  const fetchImpl = opts.fetch ?? fetch;
  const base = opts.harnessUrl.replace(/\/+$/, '');
  return async ({ id, userName }) => {
    const outbox = await fetchImpl(`${base}/sp/api/accounts/${encodeURIComponent(opts.accountId)}/outbox`, {
      headers: { authorization: `Bearer ${opts.adminToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!outbox.ok) throw new AuditError('AUDIT_SETUP', `the harness refused to list account ${opts.accountId}'s outbox: HTTP ${outbox.status} (check the admin token and the account id)`);
    const messages = (await outbox.json()) as { userId?: string; to?: string; link?: string }[];
    const mail = [...messages].reverse().find((m) => m.userId === id || m.to?.toLowerCase() === userName.toLowerCase());
    if (!mail?.link) throw new Error(`no activation email for ${userName} in account ${opts.accountId}'s outbox`);
    const res = await fetchImpl(mail.link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) throw new Error(`the activation link answered HTTP ${res.status}`);
  };
}
