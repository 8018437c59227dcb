// The message is a SAML 2.0 AuthnRequest: protocol namespace, Version 2.0, an xs:ID, an
// xs:dateTime IssueInstant, exactly one Issuer, read with the parse hygiene (no DOCTYPE, entities
// or comments), so nothing later reads a message that only looks like one.
import { HarnessError } from '../../errors.js';
import { parseAuthnRequest } from '../../saml/authn-request.js';
import type { RequestCheck } from './types.js';

export const message: RequestCheck = {
  id: 'message',
  title: 'The message is a well-formed SAML 2.0 AuthnRequest (ID, IssueInstant, one Issuer; no DOCTYPE)',
  run(ctx) {
    if (ctx.xml === undefined) throw new HarnessError('INTERNAL', 'request checks order: nothing decoded');
    ctx.request = parseAuthnRequest(ctx.xml);
    return `AuthnRequest ${ctx.request.id} from ${ctx.request.issuer}`;
  },
};
