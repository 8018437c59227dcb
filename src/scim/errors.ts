// SCIM protocol errors (RFC 7644 §3.12): an HTTP status, an optional scimType and a detail that
// says what was wrong and what to change. The SCIM router turns every failure into this body.
import { HarnessError } from '../errors.js';
import { SCIM_MESSAGE } from './urn.js';

/** RFC 7644 §3.12's scimType values. */
export const SCIM_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
] as const;

export type ScimType = (typeof SCIM_TYPES)[number];

export type ScimStatus = 304 | 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 429 | 500 | 501;

export interface ScimErrorBody {
  schemas: [typeof SCIM_MESSAGE.error];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

export class ScimError extends Error {
  constructor(
    readonly status: ScimStatus,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** Response headers the error needs (WWW-Authenticate, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): ScimErrorBody {
    return {
      schemas: [SCIM_MESSAGE.error],
      status: String(this.status),
      ...(this.scimType !== undefined && { scimType: this.scimType }),
      detail: this.detail,
    };
  }
}

export const badRequest = (scimType: ScimType, detail: string): ScimError => new ScimError(400, detail, scimType);
export const notFound = (detail: string): ScimError => new ScimError(404, detail);
/** A request the account's current state refuses (a RingCentral rule), not a duplicate. */
export const stateConflict = (detail: string): ScimError => new ScimError(409, detail);

/** Errors from the SP directory and from express's body parser, as SCIM errors; undefined when unexpected. */
export function scimErrorFrom(err: unknown): ScimError | undefined {
  if (err instanceof ScimError) return err;
  if (err instanceof HarnessError) {
    if (err.code === 'CONFLICT') return new ScimError(409, err.message, 'uniqueness');
    if (err.status === 404) return notFound(err.message);
    if (err.code === 'BODY_TOO_LARGE') return new ScimError(413, err.message);
    if (err.status === 400) return badRequest('invalidValue', err.message);
    if (err.status === 409) return stateConflict(err.message);
    return undefined;
  }
  const http = err as { type?: string; status?: number };
  if (http?.type === 'entity.too.large') return new ScimError(413, 'the request body is larger than the SCIM API accepts (1 MB)');
  if (http?.type === 'entity.parse.failed') return badRequest('invalidSyntax', 'the request body is not valid JSON');
  if (http?.type === 'charset.unsupported' || http?.type === 'encoding.unsupported') {
    return new ScimError(415, 'the request body must be UTF-8 JSON (application/scim+json)');
  }
  return undefined;
}
