// JSON Schema of the SCIM bodies, from the definitions the SCIM API itself publishes at /Schemas
// (src/scim/schema.ts) and the RFC 7644 messages it reads (src/scim/list-query.ts, patch.ts).
import { MAX_FILTER_LENGTH } from '../../scim/filter.js';
import { DEFAULT_COUNT, MAX_COUNT } from '../../scim/list-query.js';
import { COMMON_ATTRIBUTES, ENTERPRISE_ATTRIBUTES, USER_ATTRIBUTES, type AttributeDef } from '../../scim/schema.js';
import { SCIM_MESSAGE, SCIM_SCHEMA } from '../../scim-protocol/urn.js';
import type { JsonSchema, NamedSchema } from './route-doc.js';

function valueSchema(def: AttributeDef): JsonSchema {
  switch (def.type) {
    case 'complex':
      return { type: 'object', properties: properties(def.subAttributes ?? []) };
    case 'boolean':
      return { type: 'boolean' };
    case 'dateTime':
      return { type: 'string', format: 'date-time' };
    case 'string':
      return { type: 'string' };
  }
}

function attributeSchema(def: AttributeDef): JsonSchema {
  const canonical = def.canonicalValues ? ` Canonical values: ${def.canonicalValues.join(', ')}.` : '';
  const schema: JsonSchema = def.multiValued ? { type: 'array', items: valueSchema(def) } : valueSchema(def);
  return {
    ...schema,
    description: def.description + canonical,
    ...(def.mutability === 'readOnly' && { readOnly: true }),
    ...(def.mutability === 'writeOnly' && { writeOnly: true }),
  };
}

function properties(defs: readonly AttributeDef[]): Record<string, JsonSchema> {
  return Object.fromEntries(defs.map((d) => [d.name, attributeSchema(d)]));
}

const schemasList = (urn: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, contains: { const: urn } });

export const scimUser: NamedSchema = {
  name: 'ScimUser',
  schema: {
    type: 'object',
    description: 'A SCIM User (RFC 7643 §4.1) as this SP stores it. Attribute names are case-insensitive; unknown attributes are ignored or refused by rule ignoreExtraAttributes.',
    properties: {
      ...properties(COMMON_ATTRIBUTES),
      ...properties(USER_ATTRIBUTES),
      [SCIM_SCHEMA.enterpriseUser]: { type: 'object', description: 'The enterprise extension.', properties: properties(ENTERPRISE_ATTRIBUTES) },
    },
    required: USER_ATTRIBUTES.filter((d) => d.required).map((d) => d.name),
  },
};

export const scimPatchOp: NamedSchema = {
  name: 'ScimPatchOp',
  schema: {
    type: 'object',
    description: 'RFC 7644 §3.5.2: applied all or nothing; op names in any case; a path-less op takes an object value.',
    properties: {
      schemas: schemasList(SCIM_MESSAGE.patchOp),
      Operations: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            op: { type: 'string', description: 'add, remove or replace (any case).' },
            path: { type: 'string', minLength: 1, description: 'An attribute path, e.g. `emails[type eq "work"].value`; required for remove.' },
            value: { description: 'The new value; `null` or `""` clears.' },
          },
          required: ['op'],
        },
      },
    },
    required: ['Operations'],
  },
};

const listParameters = {
  filter: { type: 'string', maxLength: MAX_FILTER_LENGTH, description: 'An RFC 7644 filter, e.g. `userName eq "ann@acme.test"`.' },
  startIndex: { type: 'integer', default: 1, description: '1-based; below 1 reads as 1.' },
  count: { type: 'integer', default: DEFAULT_COUNT, maximum: MAX_COUNT, description: `At most ${MAX_COUNT}; negative reads as 0, 0 gives totalResults only.` },
  attributes: { type: 'string', description: 'Comma-separated attribute names to return.' },
  excludedAttributes: { type: 'string', description: 'Comma-separated attribute names to leave out.' },
};

/** `GET /Users` query parameters. */
export const scimListQuery: JsonSchema = { type: 'object', properties: listParameters };

export const scimSearchRequest: NamedSchema = {
  name: 'ScimSearchRequest',
  schema: {
    type: 'object',
    properties: {
      schemas: schemasList(SCIM_MESSAGE.searchRequest),
      ...listParameters,
      attributes: { type: 'array', items: { type: 'string' } },
      excludedAttributes: { type: 'array', items: { type: 'string' } },
    },
    required: ['schemas'],
  },
};

export const scimUserList: NamedSchema = {
  name: 'ScimUserList',
  schema: {
    type: 'object',
    properties: {
      schemas: schemasList(SCIM_MESSAGE.listResponse),
      totalResults: { type: 'integer' },
      startIndex: { type: 'integer' },
      itemsPerPage: { type: 'integer' },
      Resources: { type: 'array', items: { $ref: '#/components/schemas/ScimUser' } },
    },
    required: ['schemas', 'totalResults', 'startIndex', 'itemsPerPage'],
  },
};
