// The User schema this SP implements (RFC 7643 §4.1 and the enterprise extension's department),
// as data: /Schemas publishes it, and filters, PATCH paths and projection resolve attribute
// names against it case-insensitively.
import { SCIM_SCHEMA } from '../scim-protocol/urn.js';

export interface AttributeDef {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  subAttributes?: AttributeDef[];
}

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

function attr(name: string, type: AttributeDef['type'], description: string, opts: Options = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...opts,
  };
}

const typed = (what: string, values: string[], extra: AttributeDef[] = []): AttributeDef[] => [
  attr('value', 'string', `The ${what}.`),
  attr('type', 'string', `The kind of ${what}.`, { canonicalValues: values }),
  attr('primary', 'boolean', `Whether this is the primary ${what}.`),
  ...extra,
];

export const USER_ATTRIBUTES: AttributeDef[] = [
  attr('userName', 'string', 'Unique identifier for the user; RingCentral requires the work email (rule userNameIsWorkEmail).', {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'complex', "The user's name.", {
    subAttributes: [
      attr('givenName', 'string', 'First name (required: rule namesRequired).'),
      attr('familyName', 'string', 'Last name (required: rule namesRequired).'),
    ],
  }),
  attr('active', 'boolean', 'false for deactivated users and for users who have not used their activation email yet.'),
  attr('password', 'string', 'Accepted and ignored: users set their password from the activation email.', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  attr('emails', 'complex', 'The work email (RingCentral keeps one contact email: the `work` one, else the primary, else the first).', {
    multiValued: true,
    required: true,
    subAttributes: typed('email address', ['work', 'home', 'other']),
  }),
  attr('phoneNumbers', 'complex', 'Phone numbers.', { multiValued: true, subAttributes: typed('phone number', ['work', 'mobile', 'home', 'fax', 'pager', 'other']) }),
  attr('addresses', 'complex', 'Postal addresses; the first one with a country decides the extension (rule addressCountryNeedsExtension).', {
    multiValued: true,
    subAttributes: [
      attr('type', 'string', 'The kind of address.', { canonicalValues: ['work', 'home', 'other'] }),
      attr('streetAddress', 'string', 'Street.'),
      attr('locality', 'string', 'City.'),
      attr('region', 'string', 'State or region.'),
      attr('postalCode', 'string', 'Postal code.'),
      attr('country', 'string', 'ISO 3166-1 alpha-2 country code.'),
      attr('primary', 'boolean', 'Whether this is the primary address.'),
    ],
  }),
];

export const ENTERPRISE_ATTRIBUTES: AttributeDef[] = [attr('department', 'string', "The user's department.")];

/** Common attributes (RFC 7643 §3.1): on every resource, not listed in /Schemas. */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  attr('id', 'string', 'Service provider identifier.', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  attr('externalId', 'string', "The IdP's identifier for the user.", { caseExact: true }),
  attr('schemas', 'string', 'Schema URNs of the resource.', { multiValued: true, caseExact: true, mutability: 'readOnly', returned: 'always' }),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'Always User.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', 'When the user was created.', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'When the user last changed.', { mutability: 'readOnly' }),
      attr('location', 'string', 'The resource URI.', { caseExact: true, mutability: 'readOnly' }),
      attr('version', 'string', 'The ETag.', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export const SCHEMAS: SchemaDef[] = [
  { id: SCIM_SCHEMA.user, name: 'User', description: 'User Account', attributes: USER_ATTRIBUTES },
  { id: SCIM_SCHEMA.enterpriseUser, name: 'EnterpriseUser', description: 'Enterprise User', attributes: ENTERPRISE_ATTRIBUTES },
];

export function findAttribute(defs: readonly AttributeDef[], name: string): AttributeDef | undefined {
  const wanted = name.toLowerCase();
  return defs.find((d) => d.name.toLowerCase() === wanted);
}
