// RingCentral's rules as expected behaviour (--profile ringcentral), from the JumpCloud seed's
// "Important Considerations" and "Attribute Considerations" and src/scim/ringcentral-rules.ts:
// userName is the work email, names and an address are required, the address country needs an
// unassigned extension, a new user is pending until its activation email is used and can only
// be deleted meanwhile, and a deactivated user is deleted only after it is reactivated.
import type { HttpMethod } from '../../../provisioning/scim-http.js';
import { newAuditUser, userResource, type AuditUser } from './audit-user.js';
import { readUser, refused } from './common-steps.js';
import { bodyOf, brief, said, type DialectRun } from './dialect-run.js';

/** Activates a pending user the way its activation email would; given for servers that allow it (the harness: its outbox). */
export type ActivateUser = (user: { id: string; userName: string }) => Promise<void>;

/** A country no RingCentral account has extensions in (Antarctica). */
const NO_EXTENSION_COUNTRY = 'AQ';

/** The attribute rules: each POST differs from a good user in one attribute, and must be refused. */
export async function attributeRules(run: DialectRun, domain: string, country: string, shape: (user: AuditUser) => Record<string, unknown>): Promise<void> {
  const variant = (change: (r: Record<string, unknown>) => void): Record<string, unknown> => {
    const r = shape(newAuditUser(run.dialect, domain, country));
    change(r);
    return r;
  };
  const rules: [string, string, string, Record<string, unknown>][] = [
    ['rc-username-is-email', 'refuses a userName that is not the work email', 'userName must equal the work email (userNameIsWorkEmail)', variant((r) => (r.userName = `not-the-email-${String(r.externalId).slice(0, 8)}`))],
    ['rc-names-required', 'refuses a user without names', 'name.givenName and name.familyName are required (namesRequired)', variant((r) => delete r.name)],
    ['rc-address-required', 'refuses a user without an address', 'at least one address is required (addressRequired)', variant((r) => delete r.addresses)],
    [
      'rc-country-extension',
      'refuses a country without an unassigned extension',
      `no unassigned extension in ${NO_EXTENSION_COUNTRY} (addressCountryNeedsExtension)`,
      variant((r) => (r.addresses = [{ type: 'work', locality: 'McMurdo', country: NO_EXTENSION_COUNTRY }])),
    ],
  ];
  for (const [id, title, why, body] of rules) await refused(run, id, title, 'POST', '/Users', body, 400, why, false);
}

/** A pending user can be deleted: a second user, created and deleted at once. */
export function pendingDeletable(run: DialectRun, domain: string, country: string, shape: (user: AuditUser) => Record<string, unknown>): Promise<boolean> {
  const body = shape(newAuditUser(run.dialect, domain, country));
  return run.step({ id: 'rc-pending-deletable', title: 'deletes a pending user', ringcentral: true }, 'HTTP 201, then DELETE answers 204 while the user is pending (pendingOnlyDeletable)', `POST /Users ${brief(body, 80)}, then DELETE /Users/{id}`, async () => {
    const created = await run.send('POST', '/Users', body);
    const id = bodyOf(created).id;
    if (created.status !== 201 || typeof id !== 'string') return { observed: `POST ${said(created)}`, pass: false };
    const deleted = await run.send('DELETE', `/Users/${encodeURIComponent(id)}`);
    return { observed: `POST HTTP 201; DELETE ${said(deleted)}`, pass: deleted.status === 204 };
  });
}

/**
 * After create: the user is pending (active false) and refuses the dialect's update with 409;
 * then, when the server lets the audit activate it, it is activated and the audit goes on.
 */
export async function pendingUser(run: DialectRun, update: { method: HttpMethod; body: unknown }, activate: ActivateUser | undefined, userName: string): Promise<void> {
  await run.step({ id: 'rc-pending-after-create', title: 'a new user is pending', ringcentral: true, needsUser: true }, 'GET shows active false until the activation email is used (activationEmail)', 'GET /Users/{id}', () => readUser(run, { active: false }));
  await refused(run, 'rc-pending-only-deletable', 'refuses to update a pending user', update.method, run.userPath, update.body, 409, 'a pending user can only be deleted (pendingOnlyDeletable)');
  const spec = { id: 'rc-activation', title: 'the user activates from its email', ringcentral: true, needsUser: true };
  if (!activate) {
    run.skip(spec, 'the activation link makes the user active', '(the user opens the activation email)', 'not run: no way to activate was given');
    run.blocked = 'not run: the user is pending until its activation email is used (give an activation: --activate-in-harness ACCOUNT for an sso-harness)';
    return;
  }
  await run.step(spec, 'after the activation link, GET shows active true', '(follows the activation link), then GET /Users/{id}', async () => {
    await activate({ id: run.userId ?? '', userName });
    return readUser(run, { active: true });
  });
}
