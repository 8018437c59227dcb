// The IdP's answer to a genuine AuthnRequest it cannot serve as asked: a signed Response with a
// non-success status and no assertion (SAML core §3.2.2.2), for the SP rather than a page for the
// browser. It goes to the SP's HTTP-POST ACS: the one the request names when the SP metadata lists
// it with HTTP-POST, else the default one.
import type { SigningKey } from '../crypto/keys.js';
import type { ParsedAuthnRequest } from '../saml/authn-request.js';
import { buildResponse } from '../saml/response-builder.js';
import { NAMEID_FORMAT, signatureAlgorithmFor } from '../saml/urn.js';
import type { IdpApp } from './model.js';
import { pickAcs } from './request-checks/acs.js';

export interface StatusResponseSpec {
  app: IdpApp;
  request: ParsedAuthnRequest;
  key: SigningKey;
  status: { code: string; subCode?: string; message?: string };
  nowMs: number;
}

export function buildStatusResponse(spec: StatusResponseSpec): { acsUrl: string; xml: string } {
  const { app, request } = spec;
  let acsUrl: string;
  try {
    acsUrl = pickAcs(app, request).url;
  } catch {
    acsUrl = pickAcs(app, {}).url;
  }
  const { xml } = buildResponse({
    issuer: app.idpEntityId,
    destination: acsUrl,
    audience: app.sp.entityId,
    inResponseTo: request.id,
    // A non-success Response carries no assertion: these subject fields are not written.
    nameId: '',
    nameIdFormat: NAMEID_FORMAT.unspecified,
    attributes: [],
    sessionIndex: '',
    nowMs: spec.nowMs,
    status: spec.status,
    signing: { key: spec.key, algorithm: signatureAlgorithmFor(app.signing.algorithm), assertion: false, response: true },
  });
  return { acsUrl, xml };
}
