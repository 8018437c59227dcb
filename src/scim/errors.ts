// SCIM protocol errors (RFC 7644 §3.12): each a HarnessError code with an HTTP status, and the
// scimType RFC 7644 gives it; the SCIM router's error handler writes the body. The detail says
// what was wrong and what to change.
import { HarnessError, type ErrorCode } from '../errors.js';
import { SCIM_MESSAGE } from '../scim-protocol/urn.js';

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

/** The scimTypes of a 400 this service answers, each with its code. */
const BAD_REQUEST_CODES = {
  invalidFilter: 'SCIM_INVALID_FILTER',
  tooMany: 'SCIM_TOO_MANY',
  mutability: 'SCIM_MUTABILITY',
  invalidSyntax: 'SCIM_INVALID_SYNTAX',
  invalidPath: 'SCIM_INVALID_PATH',
  noTarget: 'SCIM_NO_TARGET',
  invalidValue: 'SCIM_INVALID_VALUE',
} as const satisfies Partial<Record<ScimType, ErrorCode>>;

export type BadRequestType = keyof typeof BAD_REQUEST_CODES;

/** The scimType each code is answered with (codes not listed have none). */
const SCIM_TYPE_OF: Partial<Record<ErrorCode, ScimType>> = {
  ...Object.fromEntries(Object.entries(BAD_REQUEST_CODES).map(([type, code]) => [code, type])),
  SCIM_UNIQUENESS: 'uniqueness',
  // The SP directory's own refusals, met by SCIM writes.
  CONFLICT: 'uniqueness',
};

export interface ScimFailureBody {
  schemas: [typeof SCIM_MESSAGE.error];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

export interface ScimAnswer {
  status: number;
  body: ScimFailureBody;
}

/** The RFC 7644 error message. */
export function scimFailureBody(status: number, detail: string, scimType?: ScimType): ScimFailureBody {
  return { schemas: [SCIM_MESSAGE.error], status: String(status), ...(scimType !== undefined && { scimType }), detail };
}

/**
 * The RFC 7644 answer to a harness error: SCIM codes as they are, and the SP directory's refusals
 * (not found, taken, invalid, too large, a state conflict) as their SCIM kin, a 400 without a
 * scimType of its own as invalidValue. Undefined for the rest, which the SCIM service did not expect.
 */
export function scimAnswerOf(err: HarnessError): ScimAnswer | undefined {
  if (!err.code.startsWith('SCIM_') && err.code !== 'BODY_TOO_LARGE' && ![400, 403, 404, 409].includes(err.status)) return undefined;
  const scimType = SCIM_TYPE_OF[err.code] ?? (err.status === 400 ? 'invalidValue' : undefined);
  return { status: err.status, body: scimFailureBody(err.status, err.message, scimType) };
}

export const badRequest = (scimType: BadRequestType, detail: string): HarnessError => new HarnessError(BAD_REQUEST_CODES[scimType], detail);
export const notFound = (detail: string): HarnessError => new HarnessError('SCIM_NOT_FOUND', detail);
/** A request the account's current state refuses (a RingCentral rule), not a duplicate. */
export const stateConflict = (detail: string): HarnessError => new HarnessError('SCIM_STATE_CONFLICT', detail);
