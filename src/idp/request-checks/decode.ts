// The SAMLRequest decodes in its binding: the Redirect query is read once (its
// signature covers the query as sent) and inflated within the size cap, the POST field is base64
// within the cap. Stops oversized and undecodable messages before any parsing.
import { HarnessError } from '../../errors.js';
import { decodePostMessage } from '../../saml/encoding.js';
import { readRedirectQuery } from '../../saml/redirect-binding.js';
import type { RequestCheck } from './types.js';

export const decode: RequestCheck = {
  id: 'decode',
  title: 'The SAMLRequest decodes in its binding (base64, DEFLATE for Redirect) within the size cap',
  run(ctx) {
    const { message } = ctx;
    if (message.binding === 'redirect') {
      const msg = readRedirectQuery(message.rawQuery);
      if (msg.param !== 'SAMLRequest') throw new HarnessError('SAML_MESSAGE_MISSING', 'the query has no SAMLRequest');
      ctx.redirect = msg;
      ctx.xml = msg.xml;
      if (msg.relayState !== undefined) ctx.relayState = msg.relayState;
    } else {
      ctx.xml = decodePostMessage(message.samlRequest);
      if (message.relayState !== undefined) ctx.relayState = message.relayState;
    }
    return `${ctx.xml.length} bytes of XML (HTTP-${message.binding === 'redirect' ? 'Redirect' : 'POST'})`;
  },
};
