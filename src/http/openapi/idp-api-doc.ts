// The IdP admin API (src/http/idp-api.ts), described: one entry per route.
import { nextKeyInput } from '../../idp/app-keys.js';
import { appCreateInput, appSettings, clockOffsetInput, groupAppsInput, groupInput, nextResponseInput, spMetadataUpload, userInput, userPatch } from '../../idp/inputs.js';
import { configureInput } from '../../provisioning/identity-management.js';
import { importInput } from '../../provisioning/importer.js';
import { clearNextResponseQuery, idmJobsQuery } from '../idp-api.js';
import { provisioningSettingsInput } from '../../idp/provisioning-settings.js';
import { A_LIST, ADMIN_API, created, noContent, ok, type RouteGroup } from './route-doc.js';

const APP = 'an IdP application (its id, as in `GET /idp/api/apps`)';
const appView = ok('The application with its endpoints (metadata, SSO and SLO URLs), `missing` settings and `encryption` view.');
const idmView = ok('The Identity Management state: flavour, status, the SP it provisions and recent jobs.');
const clock = ok('The IdP clock: `now` (ISO 8601) and its simulated offset `offsetMs` (also as `skewMs`, its older name).', {
  type: 'object',
  properties: { now: { type: 'string', format: 'date-time' }, offsetMs: { type: 'number' }, skewMs: { type: 'number' } },
  required: ['now', 'offsetMs', 'skewMs'],
});

export const idpApiDoc: RouteGroup = {
  prefix: '/idp/api',
  tag: 'IdP admin',
  description: 'The JumpCloud/Okta-like IdP: catalogue, applications and their SAML settings, keys, users, groups, Identity Management, scenarios and clock.',
  ...ADMIN_API,
  params: { app: APP, group: 'an IdP group id', user: 'an IdP user id' },
  routes: [
    { method: 'get', path: '/catalogue', summary: 'The application catalogue', replies: [ok('Each template with its defaults.', A_LIST)] },
    { method: 'get', path: '/scenarios', summary: 'The response scenarios', description: 'Every broken, malicious or genuine response the IdP can send, with its catalogue row and the verdict a strict SP must reach.', replies: [ok('The scenarios.', A_LIST)] },
    {
      method: 'put',
      path: '/next-response',
      summary: 'Queue a scenario for the next response only',
      body: { schema: { name: 'NextResponse', schema: nextResponseInput } },
      replies: [ok('What was queued.', { type: 'object', properties: { scenario: { type: 'string' }, app: { type: ['string', 'null'] } } })],
      errors: [404],
    },
    { method: 'delete', path: '/next-response', summary: 'Clear queued scenarios', query: clearNextResponseQuery, replies: [noContent('Cleared.')] },

    { method: 'get', path: '/apps', summary: 'List applications', replies: [ok('The applications, as `GET /idp/api/apps/{app}` shows each.', A_LIST)] },
    {
      method: 'post',
      path: '/apps',
      summary: 'Add an application from the catalogue',
      description: '"+ Add New Application": a template, an optional id, and any of the application settings (README: IdP application settings).',
      body: { schema: { name: 'AppCreate', schema: appCreateInput }, required: false },
      replies: [created('The new application.')],
      errors: [409],
    },
    { method: 'get', path: '/apps/:app', summary: 'Get an application', replies: [appView] },
    {
      method: 'patch',
      path: '/apps/:app',
      summary: "Change an application's settings",
      description: 'Only the settings named change (README: IdP application settings).',
      body: { schema: { name: 'AppSettings', schema: appSettings } },
      replies: [appView],
    },
    { method: 'delete', path: '/apps/:app', summary: 'Delete an application', description: 'Its users stay in the SP, active, with their pre-SSO password.', replies: [noContent('Deleted.')] },
    {
      method: 'put',
      path: '/apps/:app/sp-metadata',
      summary: 'Upload the SP metadata',
      description: "The SSO tab's \"Upload Metadata\": entity ID, ACS URLs, request signing, signing and encryption certificates, SLO endpoints.",
      body: { schema: { name: 'SpMetadataUpload', schema: spMetadataUpload }, xml: 'The SP metadata XML itself.' },
      replies: [appView],
    },
    { method: 'get', path: '/apps/:app/keys', summary: 'The signing keys', description: 'The current key and the next one, certificates only (never private keys).', replies: [ok('The keys.')] },
    {
      method: 'post',
      path: '/apps/:app/keys/next',
      summary: 'Make the next signing key',
      description: 'Generated (`bits`, `days`) or uploaded (`privateKey` and `certificate` as PEM). The metadata then lists both certificates; responses are still signed with the current key.',
      body: { schema: { name: 'NextKey', schema: nextKeyInput }, required: false },
      replies: [{ status: 201, description: 'The keys, with the new next one.' }],
    },
    { method: 'delete', path: '/apps/:app/keys/next', summary: 'Withdraw the next key', replies: [ok('The keys.')] },
    { method: 'post', path: '/apps/:app/keys/rotate', summary: 'Rotate: the next key becomes current', description: 'The old current key is dropped; 409 `IDP_KEY_NO_NEXT` without a next key.', replies: [ok('The keys.')], errors: [409] },
    { method: 'put', path: '/apps/:app/groups/:group', summary: 'Bind a user group to the application', replies: [appView] },
    { method: 'delete', path: '/apps/:app/groups/:group', summary: 'Unbind a user group', replies: [appView] },
    {
      method: 'put',
      path: '/apps/:app/users/:user',
      summary: 'Assign the application to a user directly',
      description: 'As Okta assigns an application to people: the user signs in and is provisioned like a member of a bound group.',
      params: { user: 'an IdP user id' },
      replies: [appView],
    },
    { method: 'delete', path: '/apps/:app/users/:user', summary: 'Unassign a user assigned directly', description: 'Group bindings still count.', params: { user: 'an IdP user id' }, replies: [appView] },

    { method: 'get', path: '/users', summary: 'List users', replies: [ok('The users (no password hashes).', A_LIST)] },
    { method: 'post', path: '/users', summary: 'Create a user', body: { schema: { name: 'IdpUserCreate', schema: userInput } }, replies: [created('The new user.')], errors: [409] },
    { method: 'get', path: '/users/:id', summary: 'Get a user', params: { id: 'an IdP user id' }, replies: [ok('The user.')] },
    {
      method: 'patch',
      path: '/users/:id',
      summary: 'Change a user',
      description: 'Only the fields named change; `passwordExpiresAt: null` clears the expiry.',
      params: { id: 'an IdP user id' },
      body: { schema: { name: 'IdpUserPatch', schema: userPatch } },
      replies: [ok('The user.')],
      errors: [409],
    },
    { method: 'delete', path: '/users/:id', summary: 'Delete a user', params: { id: 'an IdP user id' }, replies: [noContent('Deleted.')] },

    { method: 'get', path: '/groups', summary: 'List user groups', replies: [ok('The groups.', A_LIST)] },
    { method: 'post', path: '/groups', summary: 'Create a user group', body: { schema: { name: 'IdpGroupCreate', schema: groupInput } }, replies: [created('The new group.')], errors: [409] },
    { method: 'get', path: '/groups/:id', summary: 'Get a user group', params: { id: 'an IdP group id' }, replies: [ok('The group.')] },
    { method: 'delete', path: '/groups/:id', summary: 'Delete a user group', params: { id: 'an IdP group id' }, replies: [noContent('Deleted.')] },
    {
      method: 'get',
      path: '/groups/:id/apps',
      summary: 'The applications a user group may use',
      description: 'The Groups panel\'s Applications tab: the applications the group is bound to.',
      params: { id: 'an IdP group id' },
      replies: [ok('`apps`: each bound application\'s `id` and `displayLabel`.')],
    },
    {
      method: 'put',
      path: '/groups/:id/apps',
      summary: 'Authorize a user group for applications',
      description: 'The Groups panel\'s way of authorizing users: the group ends up bound to exactly these applications, as if each application\'s User Groups tab had ticked or unticked it.',
      params: { id: 'an IdP group id' },
      body: { schema: { name: 'IdpGroupApps', schema: groupAppsInput } },
      replies: [ok('`apps`: each bound application\'s `id` and `displayLabel`.')],
    },
    { method: 'put', path: '/groups/:id/members/:user', summary: 'Add a member', params: { id: 'an IdP group id' }, replies: [ok('The group.')] },
    { method: 'delete', path: '/groups/:id/members/:user', summary: 'Remove a member', params: { id: 'an IdP group id' }, replies: [ok('The group.')] },

    { method: 'get', path: '/apps/:app/idm', summary: 'The Identity Management tab', replies: [idmView] },
    {
      method: 'post',
      path: '/apps/:app/idm/configure',
      summary: 'Configure Identity Management',
      description: 'Answers the `authorizeUrl` to open in a browser: the SP OAuth sign-in and consent, then the IdP callback verifies the connection.',
      body: { schema: { name: 'IdmConfigure', schema: configureInput }, required: false },
      replies: [ok('`authorizeUrl` and the state.')],
    },
    { method: 'post', path: '/apps/:app/idm/deactivate', summary: 'Deactivate the IdM connection', description: 'No further updates; SP users stay as they are.', replies: [idmView] },
    { method: 'get', path: '/apps/:app/idm/jobs', summary: 'Provisioning jobs', description: 'Each job with its SCIM request/response pairs.', query: idmJobsQuery, replies: [ok('The jobs.', A_LIST)] },
    { method: 'get', path: '/apps/:app/idm/import', summary: 'Manual import: the SP users', description: 'Each SP user as New or Imported.', replies: [ok('The candidates.', A_LIST)] },
    {
      method: 'post',
      path: '/apps/:app/idm/import',
      summary: 'Import SP users',
      description: 'Over 100 users run in the background (202) and end with a notification email in `GET /idp/api/outbox`. One import runs at a time per application.',
      body: { schema: { name: 'IdmImport', schema: importInput } },
      replies: [
        ok('Imported: each user\'s result.'),
        { status: 202, description: 'Started in the background.' },
        { status: 409, description: '`IDM_IMPORT_RUNNING`: an import of this application is still running (or `IDM_NOT_VERIFIED`).' },
      ],
    },
    { method: 'get', path: '/apps/:app/idm/settings', summary: 'The Provisioning tab settings', description: 'API integration, To App (create, update, deactivate; attribute mappings) and To Okta (import schedule, matching rule).', replies: [ok('The settings.')] },
    {
      method: 'put',
      path: '/apps/:app/idm/settings',
      summary: 'Change the Provisioning tab settings',
      description: 'Any part; what is left out keeps its value. The provisioning engine and the imports follow them from the next change on.',
      body: { schema: { name: 'ProvisioningSettings', schema: provisioningSettingsInput } },
      replies: [ok('The settings, whole.')],
    },
    { method: 'post', path: '/apps/:app/idm/sync', summary: 'Re-push every user of the bound groups', replies: [{ status: 202, description: 'Queued.' }] },

    { method: 'get', path: '/outbox', summary: "The IdP administrators' notification emails", replies: [ok('The emails, newest first.', A_LIST)] },
    { method: 'post', path: '/maintenance/sweep', summary: 'Suspend users whose password expired', description: 'By the harness clock; the server also runs it every minute.', replies: [ok('`expired`: the users suspended now.')] },
    {
      method: 'post',
      path: '/maintenance/imports',
      summary: 'Run the scheduled imports that are due',
      description: 'To Okta\'s import schedule, by the harness clock (move it with `PUT /idp/api/clock`); the server also checks every minute. A run due now is run once, never twice at the same time.',
      replies: [ok('`ran`: each application imported, with what it found, how many it imported, or why it stopped.')],
    },
    { method: 'post', path: '/maintenance/idle', summary: 'Wait until provisioning is idle', description: 'Answers once no provisioning event, job or background import is left.', replies: [ok('`{"idle": true}`.')] },
    { method: 'get', path: '/clock', summary: 'The IdP clock', replies: [clock] },
    { method: 'put', path: '/clock', summary: 'Set the IdP clock\'s offset', body: { schema: { name: 'ClockOffset', schema: clockOffsetInput } }, replies: [clock] },
  ],
};
