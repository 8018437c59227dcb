// The Okta Admin Console's way of adding an application, in the words of Okta's RingCentral
// document: Applications → Add Application → "Search for an application" → Add → General Settings
// → Next → the Sign On Methods section of the Sign-On Options pane (SAML 2.0) → View Setup
// Instructions → Done. Server-rendered, every form labelled and carrying the CSRF token.
import type { CatalogueEntry } from '../../../idp/catalogue.js';
import type { IdpApp } from '../../../idp/model.js';
import { html, page, type SafeHtml } from '../html.js';
import { banner, type IdpAdminView } from '../idp-admin-pages.js';
import { FLAVOR_NAMES, type IdpFlavor } from '../../../idp/model.js';

export const OKTA_BASE = '/idp/admin/okta';

export const oktaAppPath = (appId: string): string => `${OKTA_BASE}/apps/${encodeURIComponent(appId)}`;

export const oktaNav = html`<p><a href="${OKTA_BASE}">Dashboard</a> · <a href="${OKTA_BASE}/apps">Applications</a> · <a href="/idp/admin/users">People</a> · <a href="/idp/admin/groups">Groups</a> · <a href="/idp/admin">JumpCloud-style console</a></p>`;

const oktaPage = (title: string, body: SafeHtml): string => page(title, body, { side: 'idp' });

/** The console's landing page: where "click Applications" starts. */
export function oktaDashboardPage(v: IdpAdminView): string {
  return oktaPage(
    'Okta Admin Console',
    html`<h1>Okta Admin Console</h1>${oktaNav}${banner(v)}
<p>Applications are added here as Okta adds them; each application keeps the flavour it was added in, and its provisioning follows it.</p>
<p><a href="${OKTA_BASE}/apps">Applications</a></p>`,
  );
}

/** The list of applications, with their flavour, the Search field and "Add Application". */
export function oktaAppsPage(apps: readonly IdpApp[], query: string, flavorOf: (app: IdpApp) => IdpFlavor, v: IdpAdminView): string {
  const wanted = query.toLowerCase();
  const shown = apps.filter((a) => wanted === '' || a.displayLabel.toLowerCase().includes(wanted) || a.id.includes(wanted));
  return oktaPage(
    'Applications',
    html`<h1>Applications</h1>${oktaNav}${banner(v)}
<p><a href="${OKTA_BASE}/add-app">Add Application</a></p>
<form method="get" action="${OKTA_BASE}/apps"><label for="apps-search">Search</label><input id="apps-search" name="q" type="search" value="${query}" maxlength="100"><button type="submit">Search</button></form>
<table><tr><th>application</th><th>flavour</th><th>sign on</th></tr>${shown.map(
      (a) => html`<tr><td><a href="${oktaAppPath(a.id)}">${a.displayLabel}</a> <small><code>${a.id}</code></small></td><td>${FLAVOR_NAMES[flavorOf(a)]}</td><td>${a.ssoActive ? 'SAML 2.0' : 'deactivated'}</td></tr>`,
    )}</table>
${shown.length === 0 ? html`<p>${query ? `No application matches “${query}”.` : 'No applications yet.'}</p>` : ''}`,
  );
}

/** "Add Application": the catalogue, searched by name. */
export function oktaAddAppPage(catalogue: readonly CatalogueEntry[], query: string, v: IdpAdminView): string {
  const wanted = query.toLowerCase();
  const found = catalogue.filter((c) => wanted === '' || c.name.toLowerCase().includes(wanted) || c.id.includes(wanted));
  return oktaPage(
    'Add Application',
    html`<h1>Add Application</h1>${oktaNav}${banner(v)}
<form method="get" action="${OKTA_BASE}/add-app"><label for="app-search">Search for an application</label><input id="app-search" name="q" type="search" value="${query}" maxlength="100"><button type="submit">Search</button></form>
<ul class="catalogue">${found.map(
      (c) => html`<li><strong>${c.name}</strong> — ${c.description}
<form method="get" action="${OKTA_BASE}/add-app/${encodeURIComponent(c.id)}" class="inline"><button type="submit" aria-describedby="entry-${c.id}">Add</button><span id="entry-${c.id}" hidden>${c.name}</span></form></li>`,
    )}</ul>
${found.length === 0 ? html`<p>No application matches “${query}”. Try RingCentral.</p>` : ''}`,
  );
}

/** The General Settings page of the entry being added; Next creates the application. */
export function oktaGeneralSettingsPage(entry: CatalogueEntry, ctx: { needsDomain: boolean; domain: string }, v: IdpAdminView): string {
  return oktaPage(
    `Add ${entry.name}`,
    html`<h1>Add ${entry.name}</h1>${oktaNav}${banner(v)}
<h2>General Settings</h2>
<form method="post" action="${OKTA_BASE}/add-app/${encodeURIComponent(entry.id)}">${v.csrf}
<label for="app-label">Application label</label><input id="app-label" name="displayLabel" value="${entry.defaults.displayLabel}" required maxlength="100">
${ctx.needsDomain ? html`<label for="app-domain">RingCentral domain (the host of the RingCentral service, replacing &lt;mydomain&gt; in its SAML values)</label><input id="app-domain" name="mydomain" value="${ctx.domain}" required maxlength="200">` : ''}
<button type="submit">Next</button></form>`,
  );
}

/** The Sign-On Options pane: the Sign On Methods section, the setup instructions, and Done. */
export function oktaSignOnPage(app: IdpApp, v: IdpAdminView): string {
  const base = oktaAppPath(app.id);
  return oktaPage(
    `${app.displayLabel}: Sign-On Options`,
    html`<h1>${app.displayLabel}</h1>${oktaNav}${banner(v)}
<h2>Sign-On Options</h2>
<form method="post" action="${base}/sign-on">${v.csrf}
<fieldset><legend>Sign On Methods</legend>
<p>The sign-on method determines how a user signs into and out of ${app.displayLabel}.</p>
<p><input type="radio" id="sign-on-saml2" name="signOnMethod" value="saml2" checked> <label for="sign-on-saml2">SAML 2.0</label></p>
<p>SAML 2.0 is not configured until you complete the setup instructions: <a href="${base}/setup-instructions">View Setup Instructions</a></p>
</fieldset>
<button type="submit">Done</button></form>`,
  );
}
