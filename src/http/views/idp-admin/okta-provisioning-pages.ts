// The Okta application's Provisioning tab: its SETTINGS list (Integration, To App, To Okta) and
// the Integration pane, in the words of Okta's RingCentral document: Configure API Integration,
// Enable API Integration, Import Groups (clearing it asks first, in the Disable Import Groups
// dialog) and Authenticate with RingCentral. Plain forms, no script.
import type { PublicIdmState } from '../../../idp/identity-management.js';
import type { IdpApp } from '../../../idp/model.js';
import type { ProvisioningSettings } from '../../../idp/provisioning-settings.js';
import { html, page, type SafeHtml } from '../html.js';
import { banner, type IdpAdminView } from '../idp-admin-pages.js';
import { oktaAppPath, oktaNav } from './okta-add-pages.js';

export type ProvisioningPane = 'integration' | 'to-app' | 'to-okta';

const PANES: readonly { pane: ProvisioningPane; label: string; path: string }[] = [
  { pane: 'integration', label: 'Integration', path: '' },
  { pane: 'to-app', label: 'To App', path: '/to-app' },
  { pane: 'to-okta', label: 'To Okta', path: '/to-okta' },
];

export const provisioningPath = (appId: string, pane: ProvisioningPane = 'integration'): string =>
  `${oktaAppPath(appId)}/provisioning${PANES.find((p) => p.pane === pane)?.path ?? ''}`;

/** The tab with its SETTINGS list, `body` in the right pane. */
export function oktaProvisioningPage(app: IdpApp, pane: ProvisioningPane, body: SafeHtml, v: IdpAdminView): string {
  const base = oktaAppPath(app.id);
  return page(
    `${app.displayLabel}: Provisioning`,
    html`<h1>${app.displayLabel}</h1>${oktaNav}
<p><a href="${base}">General, Sign On and Assignments</a> · <strong>Provisioning</strong></p>${banner(v)}
<div class="panes"><nav aria-label="SETTINGS"><h2>SETTINGS</h2><ul>${PANES.map((p) =>
      p.pane === pane
        ? html`<li><a href="${provisioningPath(app.id, p.pane)}" aria-current="page"><strong>${p.label}</strong></a></li>`
        : html`<li><a href="${provisioningPath(app.id, p.pane)}">${p.label}</a></li>`,
    )}</ul></nav>
<section>${body}</section></div>`,
    { side: 'idp' },
  );
}

const STATUS_WORDS: Record<PublicIdmState['status'], string> = {
  off: 'not connected',
  authorizing: 'waiting for the RingCentral sign-in',
  verified: 'verified: provisioning to RingCentral',
  failed: 'failed',
  deactivated: 'deactivated: no further updates reach RingCentral',
};

const checkbox = (id: string, name: string, checked: boolean, label: string): SafeHtml =>
  checked
    ? html`<p><input type="checkbox" id="${id}" name="${name}" value="on" checked> <label for="${id}">${label}</label></p>`
    : html`<p><input type="checkbox" id="${id}" name="${name}" value="on"> <label for="${id}">${label}</label></p>`;

/** The Integration pane: the connection's state, then "Configure API Integration" or the form it opens. */
export function integrationPane(app: IdpApp, ctx: { settings: ProvisioningSettings; idm: PublicIdmState; editing: boolean }, v: IdpAdminView): SafeHtml {
  const { settings, idm } = ctx;
  const path = provisioningPath(app.id);
  const state = html`<table class="kv"><tr><th scope="row">API integration</th><td>${settings.apiIntegration ? 'enabled' : 'not enabled'}</td></tr>
<tr><th scope="row">Import Groups</th><td>${settings.importGroups ? 'on' : 'off'}</td></tr>
<tr><th scope="row">Connection</th><td>${STATUS_WORDS[idm.status]}${idm.error ? html`: <code>${idm.error.code}</code> ${idm.error.message}` : ''}</td></tr>
<tr><th scope="row">RingCentral API</th><td><code>${idm.apiBaseUrl}</code></td></tr></table>`;
  if (!ctx.editing) {
    const label = settings.apiIntegration ? 'Edit' : 'Configure API Integration';
    return html`<h2>Integration</h2>${state}
<form method="get" action="${path}/integration"><button type="submit">${label}</button></form>`;
  }
  return html`<h2>Integration</h2>${state}
<form method="post" action="${path}/integration">${v.csrf}
${checkbox('api-integration', 'apiIntegration', settings.apiIntegration, 'Enable API Integration')}
${checkbox('import-groups', 'importGroups', settings.importGroups, 'Import Groups')}
<p>Authenticate with RingCentral signs in to RingCentral as one of its administrators and lets Okta manage its users.</p>
<button type="submit" name="action" value="authenticate">Authenticate with RingCentral</button>
<button type="submit" name="action" value="save">Save</button></form>
<p><a href="${path}">Cancel</a></p>`;
}

/** The "Disable Import Groups" dialog: the choice is carried in hidden fields, Continue saves it. */
export function disableImportGroupsPage(app: IdpApp, choice: { apiIntegration: boolean; action: string }, v: IdpAdminView): string {
  const path = provisioningPath(app.id);
  return oktaProvisioningPage(
    app,
    'integration',
    html`<div role="dialog" aria-labelledby="disable-import-groups" class="dialog"><h2 id="disable-import-groups">Disable Import Groups</h2>
<p>Groups already imported from ${app.displayLabel} stay in Okta; no further groups are imported from it, and group memberships it reports are no longer read.</p>
<form method="post" action="${path}/integration">${v.csrf}
${choice.apiIntegration ? html`<input type="hidden" name="apiIntegration" value="on">` : ''}
<input type="hidden" name="action" value="${choice.action}">
<input type="hidden" name="importGroupsConfirmed" value="off">
<button type="submit">Continue</button></form>
<p><a href="${path}/integration">Cancel</a></p></div>`,
    v,
  );
}
