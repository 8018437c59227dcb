// Every SAML / XML-DSig URN the harness uses lives here; other modules import the names.

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  /** XML Encryption 1.1 (the xenc11:MGF of RSA-OAEP). */
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  /** SAML V2.0 Metadata Extension for Algorithm Support (alg:SigningMethod, alg:DigestMethod). */
  algsupport: 'urn:oasis:names:tc:SAML:metadata:algsupport',
  /** Bound to the `xml` prefix by the XML Namespaces spec; never declared in a document. */
  xml: 'http://www.w3.org/XML/1998/namespace',
  /** XSLT, which only an attack scenario puts inside a signature. */
  xsl: 'http://www.w3.org/1999/XSL/Transform',
  /** WS-Federation 1.2 metadata (fed:ClaimTypesOffered), which Entra ID's federation metadata carries. */
  wsfed: 'http://docs.oasis-open.org/wsfed/federation/200706',
  /** WS-Federation authorization (auth:ClaimType). */
  wsfedAuth: 'http://docs.oasis-open.org/wsfed/authorization/200706',
  /** WS-Addressing (wsa:EndpointReference). */
  wsa: 'http://www.w3.org/2005/08/addressing',
} as const;

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  artifact: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact',
  /** Reverse SOAP (Enhanced Client or Proxy profile); the IdP does not answer in it. */
  paos: 'urn:oasis:names:tc:SAML:2.0:bindings:PAOS',
} as const;
export type BindingUrn = (typeof BINDING)[keyof typeof BINDING];

/** The version-and-kind prefix of a binding or NameID format URN, which a report may leave out. */
export const BINDING_OR_NAMEID_PREFIX = /^urn:oasis:names:tc:SAML:\d\.\d:(bindings|nameid-format):/;

export const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  /** The SAML 1.0 spelling of unspecified, which JumpCloud sends (SAML core §2.2.2 names it the default). */
  unspecified10: 'urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  entity: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
} as const;
export type NameIdFormatName = keyof typeof NAMEID_FORMAT;

/**
 * Claim types named as URIs (WS-Federation's identity claims), the attribute names Microsoft Entra
 * ID sends by default (learn.microsoft.com/entra/identity-platform/reference-saml-tokens).
 */
export const CLAIM = {
  emailAddress: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  nameIdentifier: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  identityProvider: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  objectIdentifier: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  authnMethodsReferences: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
} as const;

export const ATTRNAME_FORMAT = {
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
} as const;

export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  versionMismatch: 'urn:oasis:names:tc:SAML:2.0:status:VersionMismatch',
  authnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  /** Second-level: the responder cannot answer in the requested binding (SAML core §3.2.2.2). */
  unsupportedBinding: 'urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding',
  /** Second-level: the SLO profile's answer when not every session could be ended. */
  partialLogout: 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout',
  /** Second-level: the responder knows no session of the principal named. */
  unknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
} as const;

/** The Reason of a LogoutRequest (SAML core §3.7.3). */
export const LOGOUT_REASON = {
  user: 'urn:oasis:names:tc:SAML:2.0:logout:user',
} as const;

export const CONFIRMATION_METHOD = {
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
} as const;

export const AUTHN_CONTEXT = {
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
} as const;

export const ALGORITHM = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** Algorithms no SAML signature may name; the attack scenarios send them to see them refused. */
export const REFUSED_ALGORITHM = {
  hmacSha1: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
  xslt: 'http://www.w3.org/TR/1999/REC-xslt-19991116',
} as const;

/** Signature algorithms the SP accepts, with the digest and Node hash that go with each. */
export const SIGNATURE_ALGORITHMS = {
  [ALGORITHM.rsaSha256]: { name: 'rsa-sha256', hash: 'sha256', digest: ALGORITHM.sha256, weak: false },
  [ALGORITHM.rsaSha384]: { name: 'rsa-sha384', hash: 'sha384', digest: ALGORITHM.sha384, weak: false },
  [ALGORITHM.rsaSha512]: { name: 'rsa-sha512', hash: 'sha512', digest: ALGORITHM.sha512, weak: false },
  [ALGORITHM.rsaSha1]: { name: 'rsa-sha1', hash: 'sha1', digest: ALGORITHM.sha1, weak: true },
} as const;
export type SignatureAlgorithmUrn = keyof typeof SIGNATURE_ALGORITHMS;

export const DIGEST_ALGORITHMS = {
  [ALGORITHM.sha256]: { hash: 'sha256', weak: false },
  [ALGORITHM.sha384]: { hash: 'sha384', weak: false },
  [ALGORITHM.sha512]: { hash: 'sha512', weak: false },
  [ALGORITHM.sha1]: { hash: 'sha1', weak: true },
} as const;

/** The only transforms a SAML signature may use (catalogue row 25). */
export const ALLOWED_TRANSFORMS: readonly string[] = [ALGORITHM.envelopedSignature, ALGORITHM.excC14n];

export function signatureAlgorithmFor(name: 'rsa-sha256' | 'rsa-sha512' | 'rsa-sha1'): SignatureAlgorithmUrn {
  switch (name) {
    case 'rsa-sha256':
      return ALGORITHM.rsaSha256;
    case 'rsa-sha512':
      return ALGORITHM.rsaSha512;
    case 'rsa-sha1':
      return ALGORITHM.rsaSha1;
  }
}

/** XML Encryption 1.0 / 1.1 algorithms an EncryptedAssertion names. */
export const XMLENC = {
  typeElement: 'http://www.w3.org/2001/04/xmlenc#Element',
  aes128Gcm: 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  aes256Gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  aes128Cbc: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  aes256Cbc: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  rsaOaepMgf1p: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  rsaOaep: 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  rsa15: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
} as const;

/**
 * Data (content) encryption algorithms, by the names the IdP settings use. CBC is open to the
 * padding oracle of Jager & Somorovsky (catalogue row 38): the SP refuses it unless allowed.
 */
export const DATA_ENCRYPTION_ALGORITHMS = {
  'aes256-gcm': { urn: XMLENC.aes256Gcm, cbc: false },
  'aes128-gcm': { urn: XMLENC.aes128Gcm, cbc: false },
  'aes256-cbc': { urn: XMLENC.aes256Cbc, cbc: true },
  'aes128-cbc': { urn: XMLENC.aes128Cbc, cbc: true },
} as const;
export type DataEncryptionName = keyof typeof DATA_ENCRYPTION_ALGORITHMS;

/**
 * Key transport algorithms. RSA PKCS#1 v1.5 is open to Bleichenbacher's attack (row 38): the SP
 * refuses it unless allowed. `rsa-oaep` is sent as rsa-oaep-mgf1p, which every peer reads.
 */
export const KEY_TRANSPORT_ALGORITHMS = {
  'rsa-oaep': { urn: XMLENC.rsaOaepMgf1p, pkcs1v15: false },
  'rsa-oaep-11': { urn: XMLENC.rsaOaep, pkcs1v15: false },
  'rsa-1_5': { urn: XMLENC.rsa15, pkcs1v15: true },
} as const;
export type KeyTransportName = keyof typeof KEY_TRANSPORT_ALGORITHMS;
