// Why an SP audit could not run. Failures of single scenarios are rows of the report, never
// errors; these stop the audit before it can score anything.
import { HarnessError } from '../../errors.js';

export type AuditErrorCode = 'AUDIT_OPTIONS' | 'AUDIT_UNREACHABLE' | 'AUDIT_SETUP' | 'AUDIT_BASELINE' | 'AUDIT_SCIM_UNREACHABLE' | 'AUDIT_SCIM_AUTH';

/** Documented with every other code in docs/errors.md. */
export class AuditError extends HarnessError<AuditErrorCode> {
  constructor(code: AuditErrorCode, message: string) {
    super(code, message);
    this.name = 'AuditError';
  }
}

/** A network failure of fetch, as one line (`ECONNREFUSED 127.0.0.1:8400`). */
export function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return typeof cause.message === 'string' ? cause.message : cause.code;
  return err instanceof Error ? err.message : String(err);
}
