// The IdP's AuthnRequest checks, one per file, run in this order; each records its verdict, as
// the SP's response checks do. The signature check comes before everything read from the
// request's content, so from then on the checks read the signed bytes. protocol-binding runs
// after the request is known to be genuine (only a genuine SP gets a SAML error Response) and
// before acs (an Artifact request may name an ACS listed with Artifact only). request-id changes
// server state, so it runs last: a request refused by any other check is not remembered.
import { HarnessError, type ErrorCode } from '../../errors.js';
import { runInOrder } from '../../saml/validate/run-in-order.js';
import type { CheckVerdict } from '../../saml/validate/types.js';
import { acs } from './acs.js';
import { appConfigured } from './app-configured.js';
import { decode } from './decode.js';
import { destination } from './destination.js';
import { issuer } from './issuer.js';
import { message } from './message.js';
import { protocolBinding } from './protocol-binding.js';
import { relayState } from './relay-state.js';
import { requestId } from './request-id.js';
import { signature } from './signature.js';
import { ssoActive } from './sso-active.js';
import { timeWindow } from './time-window.js';
import type { IncomingRequest, RequestCheck, RequestCheckResult, RequestContext, RequestExpectations, RequestState } from './types.js';

export const REQUEST_CHECKS: readonly RequestCheck[] = Object.freeze([
  decode,
  message,
  ssoActive,
  appConfigured,
  signature,
  issuer,
  destination,
  timeWindow,
  relayState,
  protocolBinding,
  acs,
  requestId,
]);

/** Code for an error a check did not expect (a library throwing on odd input, a store failing). */
function unexpectedCode(check: { id: string }): ErrorCode {
  if (check.id === signature.id) return 'IDP_REQUEST_SIGNATURE';
  return check.id === requestId.id ? 'INTERNAL' : 'SAML_XML_MALFORMED';
}

/** Runs `checks` in order; a check after a failure is skipped. Never throws for bad input. */
export async function runRequestChecks(
  checks: readonly RequestCheck[],
  incoming: IncomingRequest,
  expect: RequestExpectations,
  state: RequestState,
): Promise<RequestCheckResult> {
  const ctx: RequestContext = { message: incoming, expect, state };
  const verdicts: CheckVerdict[] = [];
  const failure = await runInOrder(checks, ctx, verdicts, unexpectedCode);
  if (failure) return { ok: false, ctx, error: failure, checks: verdicts };
  if (!ctx.request || !ctx.acs) {
    return { ok: false, ctx, error: new HarnessError('INTERNAL', 'request checks: a passing run left no request or ACS'), checks: verdicts };
  }
  return { ok: true, ctx, request: ctx.request, acs: ctx.acs, checks: verdicts };
}

export function checkAuthnRequest(incoming: IncomingRequest, expect: RequestExpectations, state: RequestState): Promise<RequestCheckResult> {
  return runRequestChecks(REQUEST_CHECKS, incoming, expect, state);
}
