// What a check may read from the context, with a clear failure when the pipeline order was
// broken (a programming error, not bad input: reported as INTERNAL).
import { HarnessError } from '../../errors.js';
import type { ValidationContext } from './types.js';

function missing(what: string): never {
  throw new HarnessError('INTERNAL', `validation pipeline order: ${what} is not established yet`);
}

export function parsedDocument(ctx: ValidationContext): Document {
  return ctx.doc ?? missing('the parsed document');
}

/** The samlp:Response of the received document (unverified: shape checks only). */
export function receivedResponse(ctx: ValidationContext): Element {
  return ctx.response ?? missing('the Response element');
}

/** The Assertion parsed from the signed bytes; every claim is read from here. */
export function signedAssertion(ctx: ValidationContext): Element {
  return ctx.assertion ?? missing('the signed assertion');
}

/** The Response from the signed bytes when it was signed, else the received one. */
export function responseForClaims(ctx: ValidationContext): Element {
  return ctx.signedResponse ?? receivedResponse(ctx);
}
