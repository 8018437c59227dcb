// Which SP user (SCIM id) an IdP user is provisioned as, per application, and what the client
// last set: `active`, and the resource it last pushed (to skip updates that change nothing).
// A link exists only once the engine manages the user (bound to the application).
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';

export interface UserLink {
  /** `<appId>/<userId>`. */
  id: string;
  appId: string;
  userId: string;
  scimId: string;
  userName: string;
  active: boolean;
  /** scimDigest() of the last resource pushed. */
  pushed: string;
  linkedAt: string;
}

export const IDP_PROVISIONING_LINKS = table<UserLink>(TABLE.idpProvisioningLinks);

export class UserLinks {
  constructor(private readonly store: Store) {}

  private table(): Table<UserLink> {
    return this.store.table(IDP_PROVISIONING_LINKS);
  }

  get(appId: string, userId: string): Promise<UserLink | undefined> {
    return this.table().get(`${appId}/${userId}`);
  }

  async save(link: Omit<UserLink, 'id'>): Promise<UserLink> {
    const row = { ...link, id: `${link.appId}/${link.userId}` };
    return (await this.table().get(row.id)) ? this.table().update(row) : this.table().insert(row);
  }

  async delete(appId: string, userId: string): Promise<void> {
    await this.table().delete(`${appId}/${userId}`);
  }

  forApp(appId: string): Promise<UserLink[]> {
    return this.table().findBy('appId', appId);
  }

  forUser(userId: string): Promise<UserLink[]> {
    return this.table().findBy('userId', userId);
  }

  async forget(appId: string): Promise<void> {
    for (const link of await this.forApp(appId)) await this.table().delete(link.id);
  }
}
