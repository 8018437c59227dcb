// Domain events of the IdP: what changed in the directory and the applications, emitted after
// the change is stored. Identity Management subscribes to them (src/provisioning); the IdP never
// knows who listens.
import type { IdpApp, IdpGroup, IdpUser } from './model.js';

export type IdpEvent =
  | { type: 'user.created'; user: IdpUser }
  | { type: 'user.updated'; before: IdpUser; after: IdpUser }
  /** `groups`: the group ids the user belonged to, since the user (and membership) is gone. */
  | { type: 'user.deleted'; user: IdpUser; groups: string[] }
  | { type: 'membership.changed'; groupId: string; userId: string; member: boolean }
  | { type: 'group.deleted'; group: IdpGroup }
  | { type: 'group.bound'; appId: string; groupId: string }
  | { type: 'group.unbound'; appId: string; groupId: string }
  /** A user assigned to (or unassigned from) the application directly, not through a group. */
  | { type: 'user.assigned'; appId: string; userId: string }
  | { type: 'user.unassigned'; appId: string; userId: string }
  /** The password expired (the sweep, or an administrator): JumpCloud suspends the account. */
  | { type: 'password.expired'; user: IdpUser }
  /** A new password was set; an account suspended by expiry is active again. */
  | { type: 'password.updated'; user: IdpUser }
  | { type: 'app.deleted'; app: IdpApp };

export type IdpEventType = IdpEvent['type'];
export type IdpEventOf<T extends IdpEventType> = Extract<IdpEvent, { type: T }>;
type Listener<E> = (event: E) => void;

/**
 * A small typed emitter. Listeners run synchronously, in subscription order, and must not
 * throw: a listener's failure is reported to `onListenerError` and never undoes the change.
 */
export class IdpEvents {
  private readonly listeners: Listener<IdpEvent>[] = [];

  constructor(private readonly onListenerError: (err: unknown, event: IdpEvent) => void = () => undefined) {}

  /** Every event. Returns the unsubscribe function. */
  subscribe(listener: Listener<IdpEvent>): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Events of one type. */
  on<T extends IdpEventType>(type: T, listener: Listener<IdpEventOf<T>>): () => void {
    return this.subscribe((event) => {
      if (event.type === type) listener(event as IdpEventOf<T>);
    });
  }

  emit(event: IdpEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }
}
