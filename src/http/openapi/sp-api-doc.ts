// The SP admin API (src/http/sp-api.ts), described: one entry per route.
import { accountInput, metadataImportInput, scimSettingsInput, spUserInput, spUserPatch, ssoSettingsInput } from '../../sp/inputs.js';
import { A_LIST, ADMIN_API, created, noContent, ok, type RouteGroup } from './route-doc.js';

const account = ok('The account with its SSO settings (and the imported IdP) and SCIM settings.');
const scimSettings = ok('The SCIM settings (`rules`, `extensions`, `digitalLines`, `rateLimits`) and `ruleDescriptions`.');
const user = { user: 'an SP directory user id' };

export const spApiDoc: RouteGroup = {
  prefix: '/sp/api',
  tag: 'SP admin',
  description: 'The RingCentral-like SP: accounts, their SSO and SCIM settings, IdP metadata import, the user directory and the activation outbox.',
  ...ADMIN_API,
  params: { id: 'an SP account id (`acme` in the demo)' },
  routes: [
    { method: 'get', path: '/metadata', summary: "The SP's endpoints and metadata", replies: [ok('Entity ID, ACS, SLO and SCIM URLs, and the metadata XML as `xml`.')] },
    { method: 'get', path: '/accounts', summary: 'List accounts', replies: [ok('The accounts.', A_LIST)] },
    { method: 'post', path: '/accounts', summary: 'Create an account', body: { schema: { name: 'AccountCreate', schema: accountInput } }, replies: [created('The new account, with default settings.')], errors: [409] },
    { method: 'get', path: '/accounts/:id', summary: 'Get an account', replies: [account] },
    { method: 'delete', path: '/accounts/:id', summary: 'Delete an account', replies: [noContent('Deleted.')] },
    {
      method: 'post',
      path: '/accounts/:id/sso/idp-metadata',
      summary: 'Upload IdP Metadata',
      description: 'By URL (fetched with a timeout and a size cap) or the XML itself. The answer shows what was parsed: entity ID, SSO URLs by binding, certificates with expiry and fingerprints, attributes, warnings.',
      body: { schema: { name: 'IdpMetadataImport', schema: metadataImportInput }, xml: 'The IdP metadata XML itself.' },
      replies: [ok('`account` and `parsed`.')],
      errors: [409, 502],
    },
    {
      method: 'patch',
      path: '/accounts/:id/sso',
      summary: 'Change SSO settings',
      description: 'Attribute mapping, Enable SSO, Manage Your Login, the strictness switches and the IdP certificate slots; only the settings named change (README: SP account settings).',
      body: { schema: { name: 'SsoSettings', schema: ssoSettingsInput } },
      replies: [account],
      errors: [409],
    },
    { method: 'get', path: '/accounts/:id/sso/idp-certificates', summary: 'The Primary and Secondary IdP certificates', replies: [ok('Each slot with expiry and fingerprints.')] },
    { method: 'get', path: '/accounts/:id/scim', summary: 'SCIM settings', replies: [scimSettings] },
    {
      method: 'patch',
      path: '/accounts/:id/scim',
      summary: 'Change SCIM settings',
      description: '`rules` are merged; `extensions` replaces the list (README: SP account settings; docs/scim.md).',
      body: { schema: { name: 'ScimSettings', schema: scimSettingsInput } },
      replies: [scimSettings],
    },
    { method: 'get', path: '/accounts/:id/outbox', summary: "The account's activation emails", replies: [ok('Newest first: `to`, `subject`, `text`, `link`.', A_LIST)] },
    { method: 'get', path: '/accounts/:id/users', summary: 'List directory users', replies: [ok('The users (no password hashes).', A_LIST)] },
    { method: 'post', path: '/accounts/:id/users', summary: 'Create a directory user', body: { schema: { name: 'SpUserCreate', schema: spUserInput } }, replies: [created('The new user.')], errors: [409] },
    { method: 'get', path: '/accounts/:id/users/:user', summary: 'Get a directory user', params: user, replies: [ok('The user.')] },
    {
      method: 'patch',
      path: '/accounts/:id/users/:user',
      summary: 'Change a directory user',
      params: user,
      body: { schema: { name: 'SpUserPatch', schema: spUserPatch } },
      replies: [ok('The user.')],
      errors: [409],
    },
    {
      method: 'delete',
      path: '/accounts/:id/users/:user',
      summary: 'Delete a directory user',
      description: 'An active or pending SCIM-created user is refused (409 `SP_USER_SCIM_MANAGED`) while rule scimCreatedDeletedViaScim is on.',
      params: user,
      replies: [noContent('Deleted.')],
      errors: [409],
    },
  ],
};
