// How a pipeline of checks runs, for the SP's response checks and the IdP's request checks alike:
// in order, each verdict recorded, every check after a failure skipped (and listed as such), and
// an error a check did not expect (a library throwing on odd input, a store failing) turned into
// a HarnessError with the code the pipeline gives that check, so bad input never throws out.
import { HarnessError, isHarnessError, type ErrorCode } from '../../errors.js';
import type { CheckVerdict } from './types.js';

export interface OrderedCheck<C> {
  id: string;
  title: string;
  run(ctx: C): Promise<string> | string;
}

/** `err` as a HarnessError: itself when it is one, else `code` with the check named. */
export function asCheckError(err: unknown, check: { id: string; title: string }, code: ErrorCode): HarnessError {
  if (isHarnessError(err)) return err;
  const original = err instanceof Error ? err.message : String(err);
  return new HarnessError(code, `${check.id}: ${original}`, { expected: check.title, received: original });
}

/**
 * Runs `checks` on `ctx` in order, appending each verdict to `verdicts`; `failed` (an earlier
 * phase's failure) skips them all. Returns the failure, if any.
 */
export async function runInOrder<C>(
  checks: readonly OrderedCheck<C>[],
  ctx: C,
  verdicts: CheckVerdict[],
  unexpectedCode: (check: OrderedCheck<C>) => ErrorCode,
  failed?: HarnessError,
): Promise<HarnessError | undefined> {
  let failure = failed;
  for (const check of checks) {
    const { id, title } = check;
    if (failure) {
      verdicts.push({ check: id, title, verdict: 'skip', detail: 'not run: an earlier check failed' });
      continue;
    }
    try {
      verdicts.push({ check: id, title, verdict: 'pass', detail: await check.run(ctx) });
    } catch (err) {
      failure = asCheckError(err, check, unexpectedCode(check));
      verdicts.push({ check: id, title, verdict: 'fail', detail: failure.message, code: failure.code });
    }
  }
  return failure;
}
