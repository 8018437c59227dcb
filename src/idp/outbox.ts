// The IdP's outgoing notification emails (e.g. "your import is complete"), kept in an outbox a
// test or a developer can read instead of a mail server. Bounded: the oldest go first.
import { randomUUID } from 'node:crypto';
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';

export interface IdpEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  sentAt: string;
}

export const IDP_OUTBOX = table<IdpEmail>(TABLE.idpOutbox);

const MAX_EMAILS = 500;

export class IdpOutbox {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
  ) {}

  private table(s: Store = this.store): Table<IdpEmail> {
    return s.table(IDP_OUTBOX);
  }

  async send(email: Omit<IdpEmail, 'id' | 'sentAt'>): Promise<IdpEmail> {
    return this.store.transaction(async (tx) => {
      const sent = await this.table(tx).insert({ ...email, id: randomUUID(), sentAt: new Date(this.nowMs()).toISOString() });
      const all = await this.table(tx).list();
      for (const old of all.slice(0, Math.max(0, all.length - MAX_EMAILS))) await this.table(tx).delete(old.id);
      return sent;
    });
  }

  /** Oldest first. */
  async list(): Promise<IdpEmail[]> {
    return this.table().list();
  }
}
