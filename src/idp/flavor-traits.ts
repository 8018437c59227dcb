// What each IdP flavour looks like on the wire: its endpoint URL shapes, the issuer, and the SAML
// defaults a new application of that flavour gets. Every trait comes from a public document or a
// public capture of the real product, listed in docs/vendor-traits.md; each is an application
// setting afterwards, so a tester can switch it.
import { createHash } from 'node:crypto';
import { CLAIM } from '../saml/urn.js';
import type { AttributeStatement, IdpApp, IdpFlavor } from './model.js';

/** Where the harness serves an application's metadata, SSO and SLO. */
export interface AppEndpoints {
  metadataUrl: string;
  ssoUrl: string;
  /** Single Logout: LogoutRequests and LogoutResponses, HTTP-Redirect and HTTP-POST. */
  sloUrl: string;
}

/** The tenant and org the harness plays, which some flavours' URLs carry. */
export interface VendorIdentity {
  /** Entra ID's directory (tenant) id, a GUID: in the issuer and every Entra URL. */
  entraTenantId: string;
  /** Okta's org name, the `{org}` of `/app/{org}_{app}_{n}/{appKey}/sso/saml`. */
  oktaOrg: string;
}

export const OKTA_ORG = 'harness';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A stable GUID from a seed (a name-based id: the same seed always gives the same GUID). */
export function guidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The Entra application (client) id of an application: a GUID, stable for the tenant and the application id. */
export function entraAppId(tenantId: string, appId: string): string {
  return guidFrom(`entra-app ${tenantId} ${appId}`);
}

/** Okta's appKey shape (`exk` + 17 letters and digits), stable for the application id. */
export function oktaAppKey(appId: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(`okta-app ${appId}`).digest();
  let key = 'exk';
  for (let i = 0; i < 17; i++) key += alphabet[(bytes[i] as number) % alphabet.length];
  return key;
}

export function entraIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** The harness's own URLs, which every application keeps whatever its flavour. */
export function genericEndpoints(baseUrl: string, appId: string): AppEndpoints {
  const base = `${baseUrl}/idp/apps/${encodeURIComponent(appId)}`;
  return { metadataUrl: `${base}/metadata`, ssoUrl: `${base}/sso`, sloUrl: `${base}/slo` };
}

/**
 * The URLs an application publishes, shaped like its vendor's under the harness's base URL and
 * its `/idp` prefix (the IdP's cookies live there): Entra ID's
 * `/{tenant}/federationmetadata/2007-06/federationmetadata.xml?appid={app}` and `/{tenant}/saml2`
 * under `/idp/entra`; Okta's `/app/{org}_{app}_{n}/{appKey}/sso/saml` under `/idp`.
 */
export function flavorEndpoints(baseUrl: string, app: Pick<IdpApp, 'id'>, flavor: IdpFlavor, vendor: VendorIdentity): AppEndpoints {
  const generic = genericEndpoints(baseUrl, app.id);
  switch (flavor) {
    case 'jumpcloud':
      return generic;
    case 'okta':
      return { ...generic, ssoUrl: `${baseUrl}/idp/app/${vendor.oktaOrg}_${encodeURIComponent(app.id)}_1/${oktaAppKey(app.id)}/sso/saml` };
    case 'entra': {
      const tenant = `${baseUrl}/idp/entra/${vendor.entraTenantId}`;
      return {
        ...generic,
        metadataUrl: `${tenant}/federationmetadata/2007-06/federationmetadata.xml?appid=${entraAppId(vendor.entraTenantId, app.id)}`,
        ssoUrl: `${tenant}/saml2`,
      };
    }
  }
}

/** Entra ID's WS-Federation endpoint for the tenant: listed in its federation metadata, not served here. */
export function entraWsfedUrl(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/idp/entra/${tenantId}/wsfed`;
}

/** The claims Entra ID's federation metadata offers (fed:ClaimTypesOffered), the default claims first. */
export const ENTRA_OFFERED_CLAIMS: readonly { uri: string; displayName: string; description: string }[] = [
  { uri: CLAIM.name, displayName: 'Name', description: 'The mutable display name of the user.' },
  { uri: CLAIM.nameIdentifier, displayName: 'Subject', description: 'An immutable, globally unique, non-reusable identifier of the user that is unique to the application for which a token is issued.' },
  { uri: CLAIM.givenName, displayName: 'Given Name', description: 'First name of the user.' },
  { uri: CLAIM.surname, displayName: 'Surname', description: 'Last name of the user.' },
  { uri: CLAIM.displayName, displayName: 'Display Name', description: 'Display name of the user.' },
  { uri: CLAIM.objectIdentifier, displayName: 'ObjectIdentifier', description: 'Primary identifier for the user in the directory. Immutable, globally unique, non-reusable.' },
  { uri: CLAIM.tenantId, displayName: 'TenantId', description: "Identifier for the user's tenant." },
  { uri: CLAIM.identityProvider, displayName: 'IdentityProvider', description: 'Identity provider for the user.' },
  { uri: CLAIM.emailAddress, displayName: 'Email', description: 'Email address of the user.' },
];

/**
 * Entra ID's default "Attributes & Claims" for a non-gallery SAML application (givenname,
 * surname, emailaddress, name) plus the claims it always adds that the harness can fill
 * (tenantid, identityprovider, displayname). Entra takes emailaddress from user.mail and name from
 * user.userprincipalname: the harness user's email is both.
 */
export function entraDefaultClaims(tenantId: string): AttributeStatement[] {
  return [
    { name: CLAIM.tenantId, constant: tenantId },
    { name: CLAIM.displayName, property: 'fullname' },
    { name: CLAIM.identityProvider, constant: entraIssuer(tenantId) },
    { name: CLAIM.givenName, property: 'firstname' },
    { name: CLAIM.surname, property: 'lastname' },
    { name: CLAIM.emailAddress, property: 'email' },
    { name: CLAIM.name, property: 'email' },
  ];
}

/** The settings a new application of the flavour starts with, on top of its catalogue template. */
export function flavorDefaults(flavor: IdpFlavor, template: Pick<IdpApp, 'attributes' | 'nameId'>, vendor: VendorIdentity): Partial<IdpApp> {
  switch (flavor) {
    case 'jumpcloud':
      // From captures of real JumpCloud responses: a SAML 1.0 unspecified NameID, about ±5
      // minutes of validity, 40-character IDs (assertion-only signing is already the
      // template's), and metadata that lists only HTTP-POST, as real JumpCloud's does until
      // "Declare Redirect Endpoint" is checked (the SP then posts its AuthnRequest). Stored
      // applications keep their own value; one stored without it keeps Redirect declared.
      return {
        declareRedirectEndpoint: false,
        nameId: { ...template.nameId, format: 'unspecified10' },
        assertionValidity: { notBeforeSec: 300, notOnOrAfterSec: 300 },
        idStyle: 'jumpcloud',
      };
    case 'okta':
      return { idStyle: 'okta' };
    case 'entra':
      // Entra's defaults: the issuer of the tenant, NameID user.userprincipalname as
      // emailAddress, URI-named claims without NameFormat, a token valid from 5 minutes before
      // to 1 hour after issue, `_` + GUID IDs, signed federation metadata. The template's other
      // attributes (RingCentral's `number`) stay.
      return {
        idpEntityId: entraIssuer(vendor.entraTenantId),
        nameId: { property: 'email', format: 'emailAddress' },
        attributes: [...entraDefaultClaims(vendor.entraTenantId), ...template.attributes.filter((a) => a.name !== 'email')],
        attributeNameFormat: 'omitted',
        declareRedirectEndpoint: true,
        assertionValidity: { notBeforeSec: 300, notOnOrAfterSec: 3600 },
        idStyle: 'entra',
        signMetadata: true,
      };
  }
}
