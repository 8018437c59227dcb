// The AuthnRequest IDs the IdP has served, per SP, for the request-id check: each is remembered
// until its IssueInstant could no longer pass the time check. A memory full of live IDs refuses
// new ones (STORE_FULL) instead of dropping the oldest, so no traffic can make the IdP forget an
// ID it served while a replay of it would still pass.
import type { Clock } from '../clock.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { ExpiringMap, Store } from '../store/types.js';
import type { RequestState } from './request-checks/types.js';

/** Served request IDs remembered per SP. */
const IDS_PER_SP = 1_000_000;

export const IDP_SERVED_REQUESTS = (spEntityId: string, maxEntries: number) => expiringMap<true>(MAP.idpServedRequests(spEntityId, maxEntries));

export class ServedRequests implements RequestState {
  private readonly maps = new Map<string, ExpiringMap<true>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly idsPerSp = IDS_PER_SP,
  ) {}

  rememberRequest(spEntityId: string, id: string, expiresAtMs: number): Promise<boolean> {
    return this.of(spEntityId).add(id, true, expiresAtMs, this.clock.now());
  }

  /** One map per SP, so the requests of one SP never crowd out another's. */
  private of(spEntityId: string): ExpiringMap<true> {
    let map = this.maps.get(spEntityId);
    if (!map) {
      map = this.store.expiring(IDP_SERVED_REQUESTS(spEntityId, this.idsPerSp));
      this.maps.set(spEntityId, map);
    }
    return map;
  }
}
