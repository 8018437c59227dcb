// SCIM 2.0 URNs and media type (RFC 7643/7644): the only place they are spelled out. The SP's
// SCIM service (src/scim/) and the IdP's SCIM client (src/provisioning/) both speak them, and the
// two sides never import each other, so the protocol's names sit below both.

export const SCIM_SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/**
 * The enterprise extension as the JumpCloud seed's mapping table spells it (a pre-RFC draft
 * name); accepted on input and read as the RFC one.
 */
export const LEGACY_ENTERPRISE_USER = 'urn:scim:schemas:extension:enterprise:2.0';

export const SCIM_MESSAGE = {
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
} as const;

export const SCIM_MEDIA_TYPE = 'application/scim+json';
