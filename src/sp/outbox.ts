// The SP's outgoing mail, kept instead of sent: what a new user would find in their inbox
// (the activation email). Readable through the admin API and the outbox page.
import { randomUUID } from 'node:crypto';
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';

export interface OutboxMessage {
  id: string;
  accountId: string;
  userId: string;
  kind: 'activation';
  to: string;
  subject: string;
  text: string;
  /** The link the email asks the user to open. */
  link: string;
  sentAt: string;
}

export const SP_OUTBOX = table<OutboxMessage>(TABLE.spOutbox);

export class SpOutbox {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
  ) {}

  private messages(): Table<OutboxMessage> {
    return this.store.table(SP_OUTBOX);
  }

  async send(message: Omit<OutboxMessage, 'id' | 'sentAt'>): Promise<OutboxMessage> {
    return this.messages().insert({ ...message, id: randomUUID(), sentAt: new Date(this.nowMs()).toISOString() });
  }

  /** An account's messages, newest first. */
  async list(accountId: string): Promise<OutboxMessage[]> {
    const all = await this.messages().findBy('accountId', accountId);
    return all.sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.id.localeCompare(a.id));
  }
}
