// The SP's SCIM 2.0 API (src/http/scim-routes.ts), described: one entry per route.
import { created, noContent, ok, type RouteGroup } from './route-doc.js';
import { scimListQuery, scimPatchOp, scimSearchRequest, scimUser, scimUserList } from './scim-schemas.js';

const projection = {
  type: 'object',
  properties: {
    attributes: { type: 'string', description: 'Comma-separated attribute names to return.' },
    excludedAttributes: { type: 'string', description: 'Comma-separated attribute names to leave out.' },
  },
};
const user = { status: 200, description: 'The user, with its ETag.', schema: scimUser, headers: { ETag: 'The version (meta.version).' } };
const ifMatch = 'Honours `If-Match` (412 when the user changed since).';

export const scimDoc: RouteGroup = {
  prefix: '/scim/v2',
  tag: 'SCIM',
  description:
    "RingCentral-like SCIM 2.0 (RFC 7643/7644) on the SP directory of the access token's account; RingCentral's rules apply (docs/scim.md). Bodies are application/scim+json (application/json accepted), at most 1 MB and 32 levels deep.",
  security: [{ scimOAuth: ['SCIM'] }],
  errors: 'scim',
  mediaType: 'application/scim+json',
  params: { id: 'a SCIM user id' },
  routes: [
    { method: 'get', path: '/health', summary: 'Liveness', public: true, replies: [ok('`{"status": "ok"}`.')] },
    { method: 'get', path: '/Users', summary: 'List or filter users', query: scimListQuery, replies: [ok('A ListResponse.', scimUserList)], errors: [429] },
    { method: 'post', path: '/Users/.search', summary: 'Search users', body: { schema: scimSearchRequest }, replies: [ok('A ListResponse.', scimUserList)], errors: [429] },
    {
      method: 'post',
      path: '/Users',
      summary: 'Create a user',
      description: '`id`, `meta` and `password` are ignored; a new user is pending until activated (rule activationEmail).',
      query: projection,
      body: { schema: scimUser },
      replies: [{ ...created('The new user.', scimUser), headers: { Location: 'The user.', ETag: 'Its version.' } }],
      errors: [409, 429],
    },
    {
      method: 'get',
      path: '/Users/:id',
      summary: 'Get a user',
      query: projection,
      replies: [user, { status: 304, description: '`If-None-Match` holds the current ETag.' }],
      errors: [429],
    },
    { method: 'put', path: '/Users/:id', summary: 'Replace a user', description: `Attributes left out are cleared (\`active\` left out keeps the status). ${ifMatch}`, body: { schema: scimUser }, replies: [user], errors: [409, 412, 429] },
    { method: 'patch', path: '/Users/:id', summary: 'Patch a user', description: ifMatch, body: { schema: scimPatchOp }, replies: [user], errors: [409, 412, 429] },
    { method: 'delete', path: '/Users/:id', summary: 'Delete a user', description: `The extension and the DigitalLine go back to the account. ${ifMatch}`, replies: [noContent('Deleted.')], errors: [409, 412, 429] },
    { method: 'get', path: '/ServiceProviderConfig', summary: 'Service provider configuration', replies: [ok('RFC 7643 §5.')] },
    { method: 'get', path: '/ResourceTypes', summary: 'Resource types', replies: [ok('A ListResponse of User only.')] },
    { method: 'get', path: '/ResourceTypes/:id', summary: 'One resource type', params: { id: 'a resource type name (`User`)' }, replies: [ok('The resource type.')] },
    { method: 'get', path: '/Schemas', summary: 'Schemas', replies: [ok('A ListResponse of the User and enterprise User schemas.')] },
    { method: 'get', path: '/Schemas/:id', summary: 'One schema', params: { id: 'a schema URN' }, replies: [ok('The schema.')] },
  ],
  undescribed: [
    { method: 'all', path: '/Groups{/*rest}', why: "404: RingCentral's SCIM API has no Groups" },
    { method: 'all', path: '/Bulk', why: '501: bulk is not supported (ServiceProviderConfig says so)' },
    { method: 'all', path: '/Me', why: '501: not implemented' },
  ],
};
