// Check: RelayState (row 39). It is opaque and at most 80 bytes (SAML bindings §3.4.3); for a
// solicited response it must come back exactly as the SP sent it (the SP keeps it with the
// request, so a changed one is a tampered or misrouted login); for an unsolicited one it may
// only name a path on this SP. It is never used as a redirect to another origin.
import { HarnessError } from '../../errors.js';
import type { Check } from './types.js';

export const MAX_RELAY_STATE_BYTES = 80;

/** A RelayState usable as a landing target: a path on this SP, no scheme, no `//` host. */
export function isLocalPath(value: string): boolean {
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(value);
}

export const relayState: Check = {
  id: 'relay-state',
  title: 'RelayState is at most 80 bytes and comes back as sent; never another origin (row 39)',
  run(ctx) {
    const posted = ctx.expect.relayState;
    if (posted !== undefined && Buffer.byteLength(posted) > MAX_RELAY_STATE_BYTES) {
      throw new HarnessError('SAML_RELAY_STATE', `RelayState is ${Buffer.byteLength(posted)} bytes`, {
        expected: `at most ${MAX_RELAY_STATE_BYTES} bytes`,
        received: `${Buffer.byteLength(posted)} bytes`,
      });
    }
    const request = ctx.result.request;
    if (request) {
      if (posted !== request.relayState) {
        throw new HarnessError('SAML_RELAY_STATE', 'RelayState is not the one sent with the AuthnRequest', {
          expected: request.relayState === undefined ? 'no RelayState' : `RelayState "${request.relayState}"`,
          received: posted === undefined ? 'no RelayState' : `"${posted}"`,
        });
      }
      return posted === undefined ? 'none sent, none returned' : 'returned as sent';
    }
    if (posted !== undefined && !isLocalPath(posted)) {
      throw new HarnessError('SAML_RELAY_STATE', 'the RelayState of an unsolicited response is not a path on this SP', {
        expected: 'a path such as /sp/home, or none',
        received: posted,
      });
    }
    return posted === undefined ? 'none' : `lands on ${posted}`;
  },
};
