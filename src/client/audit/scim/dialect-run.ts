// One dialect's pass over the server: its steps in order, each one row of the scorecard (what
// the client sends, what it expects, what came back, pass/fail). A step that cannot run because
// an earlier one failed (no user was created, the user is still pending) is skipped with the
// reason, and a step that gets no answer is a failure, never the end of the audit.
import { errorMessage } from '../../../caught-error.js';
import { scimErrorOf } from '../../../provisioning/scim-client.js';
import type { HttpMethod, ScimAnswer } from '../../../provisioning/scim-http.js';
import { DeadlineError } from './session.js';

export const SCIM_DIALECTS = ['jumpcloud', 'okta', 'entra'] as const;
export type ScimDialect = (typeof SCIM_DIALECTS)[number];
export type ScimProfile = 'generic' | 'ringcentral';

export interface ScimAuditRow {
  dialect: ScimDialect;
  step: string;
  title: string;
  /** Set when the expectation follows RingCentral's own rules rather than SCIM's. */
  spProfile?: 'ringcentral';
  /** The requests the client sends, in its own shapes. */
  sends: string;
  expects: string;
  /** What the server answered (or why the step did not run). */
  observed: string;
  outcome: 'pass' | 'fail' | 'skip';
}

export interface StepCheck {
  sends: string;
  expects: string;
  observed: string;
  pass: boolean;
}

export interface StepSpec {
  id: string;
  title: string;
  /** Only with --profile ringcentral, or an expectation that changes with it. */
  ringcentral?: boolean;
  /** The step works on the audit's user: skipped when there is none. */
  needsUser?: boolean;
}

export type Send = (method: HttpMethod, path: string, body?: unknown) => Promise<ScimAnswer>;

export class DialectRun {
  readonly rows: ScimAuditRow[] = [];
  /** The SCIM id of the user this dialect's run created. */
  userId: string | undefined;
  /** Why the steps on the user cannot run any more. */
  blocked: string | undefined;
  private outOfTime: string | undefined;

  constructor(
    readonly dialect: ScimDialect,
    readonly profile: ScimProfile,
    readonly send: Send,
    private readonly onRow: (row: ScimAuditRow) => void,
  ) {}

  get ringcentral(): boolean {
    return this.profile === 'ringcentral';
  }

  /** The user's path; only called by steps that need the user. */
  get userPath(): string {
    return `/Users/${encodeURIComponent(this.userId ?? '')}`;
  }

  async step(spec: StepSpec, expects: string, sends: string, run: () => Promise<{ observed: string; pass: boolean }>): Promise<boolean> {
    const base = {
      dialect: this.dialect,
      step: spec.id,
      title: spec.title,
      ...(spec.ringcentral === true && this.ringcentral && { spProfile: 'ringcentral' as const }),
      sends,
      expects,
    };
    const skipWhy = this.outOfTime ?? (spec.needsUser === true ? (this.userId === undefined ? 'not run: no user was created' : this.blocked) : undefined);
    if (skipWhy !== undefined) return this.push({ ...base, observed: skipWhy, outcome: 'skip' });
    try {
      const { observed, pass } = await run();
      return this.push({ ...base, observed, outcome: pass ? 'pass' : 'fail' });
    } catch (err) {
      if (err instanceof DeadlineError) this.outOfTime = `not run: ${err.message}`;
      return this.push({ ...base, observed: `no answer: ${errorMessage(err)}`, outcome: 'fail' });
    }
  }

  /** A step the audit cannot take at this server, with the reason. */
  skip(spec: StepSpec, expects: string, sends: string, why: string): void {
    this.push({ dialect: this.dialect, step: spec.id, title: spec.title, ...(spec.ringcentral === true && this.ringcentral && { spProfile: 'ringcentral' as const }), sends, expects, observed: why, outcome: 'skip' });
  }

  private push(row: ScimAuditRow): boolean {
    this.rows.push(row);
    this.onRow(row);
    return row.outcome === 'pass';
  }
}

/** `HTTP 400 invalidValue: detail…` in one short line. */
export function said(answer: ScimAnswer): string {
  const { scimType, detail } = scimErrorOf(answer.body);
  const text = [scimType, detail].filter(Boolean).join(': ');
  const short = text.length > 160 ? `${text.slice(0, 157)}…` : text;
  return `HTTP ${answer.status}${short ? ` ${short}` : ''}`;
}

export const bodyOf = (answer: ScimAnswer): Record<string, unknown> =>
  answer.body !== null && typeof answer.body === 'object' && !Array.isArray(answer.body) ? (answer.body as Record<string, unknown>) : {};

/** A SCIM filter value in double quotes (RFC 7644 §3.4.2.2: a JSON string). */
export const quoted = (value: string): string => JSON.stringify(value);

/** JSON for the scorecard, cut short. */
export function brief(value: unknown, max = 140): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
