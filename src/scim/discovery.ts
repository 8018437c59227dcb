// Discovery (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas, built from the
// schema data so what is advertised is what the server does.
import { notFound } from './errors.js';
import { MAX_COUNT, page, type ListResponse } from './list-query.js';
import { SCHEMAS, type AttributeDef, type SchemaDef } from './schema.js';
import { SCIM_SCHEMA } from '../scim-protocol/urn.js';

type Json = Record<string, unknown>;

export function serviceProviderConfig(scimUrl: string): Json {
  return {
    schemas: [SCIM_SCHEMA.serviceProviderConfig],
    documentationUri: 'https://developers.ringcentral.com/api-reference/SCIM',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'An access token from the SP OAuth 2.0 server (/restapi/oauth/token)',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${scimUrl}/ServiceProviderConfig` },
  };
}

function userResourceType(scimUrl: string): Json {
  return {
    schemas: [SCIM_SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'RingCentral user',
    schema: SCIM_SCHEMA.user,
    schemaExtensions: [{ schema: SCIM_SCHEMA.enterpriseUser, required: false }],
    meta: { resourceType: 'ResourceType', location: `${scimUrl}/ResourceTypes/User` },
  };
}

export function resourceTypes(scimUrl: string): ListResponse<Json> {
  return page([userResourceType(scimUrl)], { startIndex: 1, count: MAX_COUNT });
}

export function resourceType(scimUrl: string, id: string): Json {
  if (id.toLowerCase() !== 'user') throw notFound(`no resource type ${id}: this service provider has User only (no Groups)`);
  return userResourceType(scimUrl);
}

function attributeDoc(def: AttributeDef): Json {
  const { subAttributes, ...rest } = def;
  return { ...rest, ...(subAttributes && { subAttributes: subAttributes.map(attributeDoc) }) };
}

function schemaDoc(schema: SchemaDef, scimUrl: string): Json {
  return {
    schemas: [SCIM_SCHEMA.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDoc),
    meta: { resourceType: 'Schema', location: `${scimUrl}/Schemas/${schema.id}` },
  };
}

export function schemas(scimUrl: string): ListResponse<Json> {
  return page(
    SCHEMAS.map((s) => schemaDoc(s, scimUrl)),
    { startIndex: 1, count: MAX_COUNT },
  );
}

export function schema(scimUrl: string, id: string): Json {
  const found = SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(`no schema ${id}: this service provider has ${SCHEMAS.map((s) => s.id).join(' and ')}`);
  return schemaDoc(found, scimUrl);
}
