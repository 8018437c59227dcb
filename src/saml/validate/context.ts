// What a check may read from the context, with a clear failure when the pipeline order was
// broken (a programming error, not bad input: reported as INTERNAL).
import { HarnessError } from '../../errors.js';
import { firstChild } from '../dom.js';
import { NS } from '../urn.js';
import { envelopedSignatures, type EnvelopedSignature } from './enveloped-signatures.js';
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

/** The assertion as received (unverified): the decrypted one, else the Response's Assertion child. */
export function receivedAssertion(ctx: ValidationContext): Element | undefined {
  return ctx.decrypted?.assertion ?? firstChild(receivedResponse(ctx), NS.assertion, 'Assertion');
}

/** The Response's signature and the assertion's (inside the decrypted assertion when it was encrypted). */
export function signaturesOf(ctx: ValidationContext): EnvelopedSignature[] {
  return envelopedSignatures(receivedResponse(ctx), receivedAssertion(ctx));
}
