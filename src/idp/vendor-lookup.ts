// Finds the application a vendor-shaped URL is for. Entra ID's SAML endpoint is one per tenant
// (`/{tenant}/saml2`), so, as at Entra, the AuthnRequest's Issuer (the SP's entity ID) picks the
// application; its federation metadata names the application by `appid`; Okta's SSO URL carries
// the application's key.
import { HarnessError } from '../errors.js';
import { parseAuthnRequest } from '../saml/authn-request.js';
import { decodePostMessage } from '../saml/encoding.js';
import { readRedirectQuery } from '../saml/redirect-binding.js';
import type { IdpApplications } from './applications.js';
import { entraAppId, oktaAppKey } from './flavor-traits.js';
import type { IdpApp } from './model.js';
import type { IncomingRequest } from './request-checks/types.js';

function requireTenant(apps: IdpApplications, tenantId: string): void {
  if (tenantId.toLowerCase() !== apps.vendor.entraTenantId) {
    throw new HarnessError('NOT_FOUND', `no Entra tenant ${tenantId} here`, {
      expected: `this harness's tenant id ${apps.vendor.entraTenantId} (start option idp.entraTenantId)`,
      received: tenantId,
    });
  }
}

/** The Entra application of a federation metadata URL: `appid` is its GUID, or the harness's own application id. */
export async function entraAppByAppId(apps: IdpApplications, tenantId: string, appid: string): Promise<IdpApp> {
  requireTenant(apps, tenantId);
  const wanted = appid.trim().toLowerCase();
  const found = (await apps.list()).find(
    (a) => apps.flavorOf(a) === 'entra' && (a.id === wanted || entraAppId(apps.vendor.entraTenantId, a.id) === wanted),
  );
  if (!found) {
    throw new HarnessError('IDP_APP_NOT_FOUND', `no Entra ID application with appid ${appid || '(none)'}`, {
      expected: 'the appid of an application whose flavor is entra (its metadataUrl carries it)',
      received: appid || '(no appid)',
    });
  }
  return found;
}

/** The Issuer of an AuthnRequest, read before any check: it only picks the application, whose checks then run in full. */
function requestIssuer(message: IncomingRequest): string {
  const xml =
    message.binding === 'redirect'
      ? readRedirectQuery(message.rawQuery).xml
      : decodePostMessage(message.samlRequest);
  return parseAuthnRequest(xml).issuer;
}

/** The Entra application an AuthnRequest sent to the tenant's SAML endpoint is for. */
export async function entraAppForRequest(apps: IdpApplications, tenantId: string, message: IncomingRequest): Promise<IdpApp> {
  requireTenant(apps, tenantId);
  const issuer = requestIssuer(message);
  const found = (await apps.list()).find((a) => apps.flavorOf(a) === 'entra' && a.sp.entityId === issuer);
  if (!found) {
    throw new HarnessError('IDP_ENTRA_APP_UNKNOWN', `no Entra ID application has the Identifier (Entity ID) ${issuer}`, {
      expected: "an application of flavor entra whose SP entity ID is the AuthnRequest's Issuer",
      received: issuer,
    });
  }
  return found;
}

/** The Okta application of `/app/{org}_{app}_{n}/{appKey}/sso/saml`. */
export async function oktaAppByKey(apps: IdpApplications, appKey: string): Promise<IdpApp> {
  const found = (await apps.list()).find((a) => apps.flavorOf(a) === 'okta' && oktaAppKey(a.id) === appKey);
  if (!found) throw new HarnessError('IDP_APP_NOT_FOUND', `no Okta application with key ${appKey}`, { received: appKey });
  return found;
}
