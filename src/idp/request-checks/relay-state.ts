// The RelayState is short: it comes back in the auto-posted form unchanged, so a huge one
// would be stored and echoed for anyone (the binding allows 80 bytes; peers send more).
import { HarnessError } from '../../errors.js';
import type { RequestCheck } from './types.js';

export const MAX_RELAY_STATE = 1024;

export const relayState: RequestCheck = {
  id: 'relay-state',
  title: `RelayState is at most ${MAX_RELAY_STATE} bytes`,
  run(ctx) {
    const value = ctx.relayState;
    if (value === undefined) return 'none';
    if (value.length > MAX_RELAY_STATE) {
      throw new HarnessError('SAML_RELAY_STATE', `RelayState is ${value.length} bytes`, {
        expected: `at most ${MAX_RELAY_STATE} bytes (the binding says 80)`,
        received: `${value.length} bytes`,
      });
    }
    return `${value.length} bytes`;
  },
};
