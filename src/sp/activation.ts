// "Newly provisioned users receive an activation email with a link to set up their account":
// the link carries a single-use token; using it turns the pending user active (optionally with
// a password for credential login).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { HarnessError } from '../errors.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { ExpiringMap, Store } from '../store/types.js';
import type { SpDirectory } from './directory.js';
import type { SpUser } from './model.js';
import type { OutboxMessage, SpOutbox } from './outbox.js';

const LINK_TTL_MS = 30 * 24 * 3600 * 1000;

export interface PendingActivation {
  accountId: string;
  userId: string;
}

export const SP_ACTIVATION = expiringMap<PendingActivation>(MAP.spActivation);

export class SpActivation {
  private readonly tokens: ExpiringMap<PendingActivation>;

  constructor(
    store: Store,
    private readonly directory: SpDirectory,
    private readonly outbox: SpOutbox,
    private readonly clock: Clock,
    /** The activation page, e.g. https://sp.example/sp/activate; the token is appended. */
    private readonly activateUrl: string,
  ) {
    this.tokens = store.expiring(SP_ACTIVATION);
  }

  /** Sends the activation email for a pending user. */
  async invite(user: SpUser, accountName: string): Promise<OutboxMessage> {
    const token = randomBytes(24).toString('base64url');
    await this.tokens.set(token, { accountId: user.accountId, userId: user.id }, this.clock.now() + LINK_TTL_MS);
    const link = `${this.activateUrl}/${token}`;
    return this.outbox.send({
      accountId: user.accountId,
      userId: user.id,
      kind: 'activation',
      to: user.email,
      subject: `Activate your ${accountName} account`,
      text: `Hello ${user.firstName || user.email},\n\nan account was created for you in ${accountName}. Open this link to set it up:\n${link}\n`,
      link,
    });
  }

  /** The pending user a link is for, without using the link up. */
  async pendingUser(token: string): Promise<SpUser> {
    const pending = await this.tokens.get(token, this.clock.now());
    return this.check(pending);
  }

  /** Uses the link: the user becomes active. */
  async activate(token: string, password?: string): Promise<SpUser> {
    const pending = await this.tokens.get(token, this.clock.now());
    await this.check(pending);
    const user = await this.directory.activate((pending as PendingActivation).accountId, (pending as PendingActivation).userId, password);
    await this.tokens.delete(token);
    return user;
  }

  private async check(pending: PendingActivation | undefined): Promise<SpUser> {
    const user = pending && (await this.directory.find(pending.accountId, pending.userId));
    if (user?.deactivatedWhilePending) {
      throw new HarnessError(
        'SP_ACTIVATION_LINK',
        `this activation link no longer works: ${user.email} was deactivated before the link was used (SCIM active false, e.g. the IdP deprovisioned it); reactivating the user (SCIM active true) makes the link work again`,
        { expected: 'the link of a pending user', received: 'a link for a user deactivated while pending' },
      );
    }
    if (!user || user.status !== 'pending') {
      throw new HarnessError('SP_ACTIVATION_LINK', 'this activation link is unknown, expired or already used', {
        expected: 'the link of the latest activation email of a pending user',
        received: !pending ? 'an unknown or expired link' : !user ? 'a link for a deleted user' : `a link for a user who is ${user.status}`,
      });
    }
    return user;
  }
}
