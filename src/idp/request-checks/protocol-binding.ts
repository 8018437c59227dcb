// The SP asks for the Response in a binding the IdP sends: HTTP-POST only (Web Browser
// SSO profile; no Artifact resolution service, no PAOS). Instead of silently posting anyway,
// the IdP answers the SP with a SAML error Response (Responder / UnsupportedBinding, SAML core
// §3.2.2.2), which the SSO service builds when this check refuses with IDP_BINDING_UNSUPPORTED.
import { HarnessError } from '../../errors.js';
import { BINDING } from '../../saml/urn.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

export const protocolBinding: RequestCheck = {
  id: 'protocol-binding',
  title: 'ProtocolBinding, when given, is HTTP-POST (the only binding the IdP answers with)',
  run(ctx) {
    const wanted = requestOf(ctx).protocolBinding;
    if (wanted === undefined) return 'not given: HTTP-POST';
    if (wanted !== BINDING.post) {
      throw new HarnessError('IDP_BINDING_UNSUPPORTED', `the AuthnRequest asks for the Response by ${wanted}, which this IdP does not send`, {
        expected: BINDING.post,
        received: wanted,
      });
    }
    return wanted;
  },
};
