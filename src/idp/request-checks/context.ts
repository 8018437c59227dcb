// What a check reads that an earlier check established; a missing value is a pipeline-order bug.
import { HarnessError } from '../../errors.js';
import type { ParsedAuthnRequest } from '../../saml/authn-request.js';
import type { RequestContext } from './types.js';

export function requestOf(ctx: RequestContext): ParsedAuthnRequest {
  if (!ctx.request) throw new HarnessError('INTERNAL', 'request checks order: the request was not read yet');
  return ctx.request;
}
