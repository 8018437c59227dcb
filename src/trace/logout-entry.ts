// One Single Logout message as the trace records it, on either side.
import type { HarnessError } from '../errors.js';
import { BINDING } from '../saml/urn.js';
import type { TraceInput } from './trace-log.js';

export function logoutTraceEntry(
  side: 'idp' | 'sp',
  m: {
    kind: 'LogoutRequest' | 'LogoutResponse';
    direction: 'sent' | 'received';
    binding: 'redirect' | 'post';
    endpoint: string;
    xml: string;
    flow: string | undefined;
    error: HarnessError | undefined;
    summary: string;
  },
): TraceInput {
  return {
    side,
    kind: m.kind,
    direction: m.direction,
    flow: m.flow,
    binding: m.binding === 'redirect' ? BINDING.redirect : BINDING.post,
    endpoint: m.endpoint,
    xml: m.xml,
    verdict: m.error ? 'rejected' : 'ok',
    ...(m.error && { error: { code: m.error.code, message: m.error.message } }),
    summary: m.summary,
  };
}
