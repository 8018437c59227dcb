// The request is signed by the SP when its metadata says AuthnRequestsSigned, and any
// signature it carries verifies with the SP metadata certificates only (KeyInfo in the message
// is ignored). For HTTP-POST every later check reads the request from the signed bytes, so an
// unsigned wrapper around a signed element cannot steer them. Stops forged and altered requests.
import { HarnessError } from '../../errors.js';
import { parseAuthnRequest, verifyEnvelopedRequestSignature } from '../../saml/authn-request.js';
import { verifyRedirectSignature } from '../../saml/redirect-binding.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

function unsignedButRequired(expected: string): never {
  throw new HarnessError('IDP_REQUEST_SIGNATURE', 'the SP metadata says AuthnRequests are signed, but this one is not', {
    expected,
    received: 'none',
  });
}

export const signature: RequestCheck = {
  id: 'signature',
  title: 'The request signature verifies with the SP metadata certificates (required when the metadata says AuthnRequestsSigned)',
  run(ctx) {
    const { app } = ctx.expect;
    const certificates = ctx.expect.spCertificates;
    const request = requestOf(ctx);
    if (ctx.redirect) {
      const verdict = verifyRedirectSignature(ctx.redirect, certificates, { allowSha1: false });
      if (verdict === 'unsigned') {
        if (app.sp.authnRequestsSigned) unsignedButRequired('Signature and SigAlg query parameters');
        ctx.signed = false;
        return 'unsigned (the SP metadata does not ask for signed requests)';
      }
      ctx.signed = true;
      return `query signature (${ctx.redirect.sigAlg ?? ''}) verified`;
    }
    if (!request.hasEnvelopedSignature) {
      if (app.sp.authnRequestsSigned) unsignedButRequired('an enveloped ds:Signature');
      ctx.signed = false;
      return 'unsigned (the SP metadata does not ask for signed requests)';
    }
    ctx.request = parseAuthnRequest(verifyEnvelopedRequestSignature(ctx.xml ?? '', certificates, { allowSha1: false }));
    ctx.signed = true;
    return 'enveloped signature verified; later checks read the signed bytes';
  },
};
