// An application as the Okta Admin Console shows it: the setup instructions Okta gives for
// RingCentral (the values to paste at the SP, the certificate to download) and the application
// page with its Assignments view, where the application is assigned to people and to groups.
import type { IdpApp, IdpGroup, PublicIdpUser } from '../../../idp/model.js';
import { html, page } from '../html.js';
import { banner, type IdpAdminView } from '../idp-admin-pages.js';
import { oktaAppPath, oktaNav } from './okta-add-pages.js';
import { FLAVOR_NAMES, type IdpFlavor } from '../../../idp/model.js';

export interface SetupValues {
  ssoUrl: string;
  issuer: string;
  metadataUrl: string;
  certificatePem: string;
  sha256Fingerprint: string;
}

/** "View Setup Instructions": what the RingCentral administrator pastes, as Okta's page lists it. */
export function oktaSetupInstructionsPage(app: IdpApp, values: SetupValues, v: IdpAdminView): string {
  const base = oktaAppPath(app.id);
  return page(
    `How to Configure SAML 2.0 for ${app.displayLabel}`,
    html`<h1>How to Configure SAML 2.0 for ${app.displayLabel}</h1>${oktaNav}${banner(v)}
<p>The following is needed to configure ${app.displayLabel}:</p>
<table class="kv">
<tr><th scope="row">Identity Provider Single Sign-On URL</th><td><code id="idp-sso-url">${values.ssoUrl}</code></td></tr>
<tr><th scope="row">Identity Provider Issuer</th><td><code id="idp-issuer">${values.issuer}</code></td></tr>
<tr><th scope="row">Identity Provider metadata URL</th><td><code id="idp-metadata-url">${values.metadataUrl}</code></td></tr>
<tr><th scope="row">X.509 Certificate</th><td><pre id="idp-certificate">${values.certificatePem}</pre><a href="${base}/certificate" download="okta.cert">Download certificate</a></td></tr>
<tr><th scope="row">SHA-256 fingerprint</th><td><code>${values.sha256Fingerprint}</code></td></tr>
</table>
<h2>In RingCentral</h2>
<ol>
<li>Sign in to RingCentral as an administrator and open the Single Sign-On settings (<a href="/sp/admin">SP admin</a>).</li>
<li>Upload IdP Metadata by URL: paste the Identity Provider metadata URL above and import it. Or enter the Single Sign-On URL, the Issuer and the certificate above by hand.</li>
<li>Map Email Attribute to: Custom, <code>email</code>. Save.</li>
<li>Enable SSO, then choose how users log in.</li>
<li>Download RingCentral's SP metadata (the Download button on the same page) and upload it here: RingCentral signs its AuthnRequests, and its certificate is what verifies them.</li>
</ol>
<form method="post" action="${base}/setup-instructions/sp-metadata" enctype="multipart/form-data">${v.csrf}
<label for="sp-metadata-file">RingCentral SP metadata file</label><input type="file" id="sp-metadata-file" name="metadata" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" required>
<button type="submit">Upload SP metadata</button></form>
<p><a href="${base}/sign-on">Back to Sign-On Options</a></p>`,
    { side: 'idp' },
  );
}

/** The application page: General, Sign On, and Assignments (people and groups). */
export function oktaAppPage(
  app: IdpApp,
  ctx: { flavor: IdpFlavor; metadataUrl: string; users: readonly PublicIdpUser[]; groups: readonly IdpGroup[] },
  v: IdpAdminView,
): string {
  const base = oktaAppPath(app.id);
  const people = ctx.users.filter((u) => (app.users ?? []).includes(u.id));
  const groups = ctx.groups.filter((g) => app.groups.includes(g.id));
  const otherPeople = ctx.users.filter((u) => !(app.users ?? []).includes(u.id));
  const otherGroups = ctx.groups.filter((g) => !app.groups.includes(g.id));
  return page(
    app.displayLabel,
    html`<h1>${app.displayLabel}</h1>${oktaNav}
<p><strong>General, Sign On and Assignments</strong> · <a href="${base}/provisioning">Provisioning</a></p>${banner(v)}
<section><h2>General</h2><table class="kv">
<tr><th scope="row">Application label</th><td>${app.displayLabel}</td></tr>
<tr><th scope="row">Flavour</th><td>${FLAVOR_NAMES[ctx.flavor]}</td></tr>
<tr><th scope="row">Application id</th><td><code>${app.id}</code></td></tr></table>
<p><a href="/idp/admin/apps/${encodeURIComponent(app.id)}">SAML settings, attributes and Identity Management</a></p></section>
<section><h2>Sign On</h2><p>Sign on method: SAML 2.0${app.ssoActive ? '' : ' (deactivated)'}. Metadata URL: <code>${ctx.metadataUrl}</code></p>
<p><a href="${base}/setup-instructions">View Setup Instructions</a> · <a href="${base}/sign-on">Sign-On Options</a></p></section>
<section><h2>Assignments</h2>
<p>Only assigned people sign in to ${app.displayLabel} and are provisioned to it: assigned to them directly, or to a group they belong to.</p>
<h3>People</h3>
<table><tr><th>person</th><th>email</th><th></th></tr>${people.map(
      (u) => html`<tr><td>${u.firstName} ${u.lastName}</td><td>${u.email}</td><td><form method="post" action="${base}/assignments/people/remove" class="inline">${v.csrf}<input type="hidden" name="user" value="${u.id}"><button type="submit" aria-label="Remove ${u.email}">Remove</button></form></td></tr>`,
    )}</table>
${people.length === 0 ? html`<p>No person is assigned directly.</p>` : ''}
<form method="post" action="${base}/assignments/people">${v.csrf}
<label for="assign-person">Person</label><select id="assign-person" name="user" required><option value="">Choose a person</option>${otherPeople.map((u) => html`<option value="${u.id}">${u.email}</option>`)}</select>
<button type="submit">Assign to People</button></form>
<h3>Groups</h3>
<table><tr><th>group</th><th>members</th><th></th></tr>${groups.map(
      (g) => html`<tr><td>${g.name}</td><td>${g.members.length}</td><td><form method="post" action="${base}/assignments/groups/remove" class="inline">${v.csrf}<input type="hidden" name="group" value="${g.id}"><button type="submit" aria-label="Remove ${g.name}">Remove</button></form></td></tr>`,
    )}</table>
${groups.length === 0 ? html`<p>No group is assigned.</p>` : ''}
<form method="post" action="${base}/assignments/groups">${v.csrf}
<label for="assign-group">Group</label><select id="assign-group" name="group" required><option value="">Choose a group</option>${otherGroups.map((g) => html`<option value="${g.id}">${g.name}</option>`)}</select>
<button type="submit">Assign to Groups</button></form></section>`,
    { side: 'idp' },
  );
}
