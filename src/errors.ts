// Every error the harness reports has a stable code, an HTTP status, and says whether its
// message may be shown to a client. docs/errors.md documents each code; a test keeps them in step.

import { ERROR_CODES, type ErrorCode, type ErrorSpec, type Side } from './error-codes.js';

export { ERROR_CODES, type ErrorCode, type Side } from './error-codes.js';

/** One validation check's outcome, as the trace and the error page show it. */
export interface CheckVerdict {
  /** The check's id, e.g. `audience`. */
  check: string;
  /** One line: what the check verifies and the attack it stops. */
  title: string;
  verdict: 'pass' | 'fail' | 'skip';
  /** What was found (on pass) or what was wrong (on fail). */
  detail: string;
  code?: ErrorCode;
}

/** How the harness's HTML answer shows an error, when the flow has better than the generic page. */
export interface ErrorView {
  /** The heading of the error page. */
  heading?: string;
  /** A page of the flow shown again with the error on it (a form and its message), in place of the error page. */
  page?: () => string | Promise<string>;
}

export interface ErrorDetails {
  /** What the check expected. */
  expected?: string;
  /** What actually arrived. */
  received?: string;
  /** Which side's setting to change, when it is not the code's default. */
  side?: Side;
  setting?: string;
  /** Extra machine-readable fields (e.g. the invalid input fields). */
  fields?: Record<string, unknown>;
  /** When to try again, in seconds: sent as Retry-After (and `retryAfterSec` in JSON). */
  retryAfterSec?: number;
  /** Response headers this answer needs beyond the code's own (e.g. a WWW-Authenticate challenge). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * The one error type of the harness; `code` narrows to a literal. It carries all its answer needs
 * (status, headers, the checks that ran, how a page shows it), so each wire format is rendered
 * from it in one place and nothing catches it on the way to say more.
 */
export class HarnessError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly expose: boolean;
  readonly details: ErrorDetails;
  /** Every response header the answer carries. */
  readonly headers: Readonly<Record<string, string>>;
  /** The validation checks that ran up to this failure (for the trace, the page and the JSON). */
  checks: readonly CheckVerdict[] | undefined;
  /** How an HTML answer shows it; the generic error page when unset. */
  view: ErrorView | undefined;
  /** The trace viewer's page of the exchange that failed (`/debug/…`), linked from the error page. */
  tracePath: string | undefined;

  constructor(code: C, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'HarnessError';
    this.code = code;
    const spec: ErrorSpec = ERROR_CODES[code];
    this.status = spec.status;
    this.expose = spec.status < 500;
    this.details = {
      ...details,
      side: details.side ?? spec.side,
      setting: details.setting ?? spec.setting,
    };
    this.headers = {
      ...spec.headers,
      ...(details.retryAfterSec !== undefined && { 'Retry-After': String(details.retryAfterSec) }),
      ...details.headers,
    };
  }

  get title(): string {
    return ERROR_CODES[this.code].title;
  }

  /** Attaches the checks that ran before this failure; returns the error, to be thrown. */
  withChecks(checks: readonly CheckVerdict[]): this {
    this.checks = checks;
    return this;
  }

  /** Attaches where the trace of the failed exchange is; returns the error, to be thrown. */
  withTrace(path: string): this {
    this.tracePath = path;
    return this;
  }

  /** Attaches how a page shows it, unless something nearer the failure already did. */
  shownAs(view: ErrorView): this {
    this.view ??= view;
    return this;
  }

  toJSON(): Record<string, unknown> {
    const { expected, received, side, setting, fields, retryAfterSec } = this.details;
    return {
      error: this.code,
      message: this.message,
      title: this.title,
      ...(expected !== undefined && { expected }),
      ...(received !== undefined && { received }),
      ...(setting !== undefined && { fix: { side, setting } }),
      ...(fields !== undefined && { fields }),
      ...(retryAfterSec !== undefined && { retryAfterSec }),
      ...(this.checks !== undefined && { checks: this.checks }),
    };
  }
}

export function isHarnessError(err: unknown): err is HarnessError {
  return err instanceof HarnessError;
}

/** Shorthand used by validation checks. */
export function fail(code: ErrorCode, message: string, details?: ErrorDetails): never {
  throw new HarnessError(code, message, details);
}
