// The HarnessError code a synchronous call throws: undefined when it returns, and a telling
// string (never a code) when it throws something else, so an assertion on the code fails loudly.
import { HarnessError } from '../../src/errors.js';

export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof HarnessError ? err.code : `not a HarnessError: ${String(err)}`;
  }
  return undefined;
}
