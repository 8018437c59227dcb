// The IdP administrator's console, shaped like JumpCloud's: SSO applications (added from the
// catalogue; General Info, SSO with the metadata URL and the SP metadata upload, attributes,
// Identity Management, User Groups), users (suspend, password expiry) and groups. Server-rendered,
// every form labelled and carrying the CSRF token; the only script copies the metadata URL.
import type { IdmView } from '../../idp/identity-management.js';
import type { IdpApp, IdpGroup, PublicIdpUser } from '../../idp/model.js';
import { html, page, type SafeHtml } from './html.js';
import { attributesSection } from './idp-admin/attributes-section.js';
import { userProfileFields, userProfileSummary } from './idp-admin/user-form.js';
import { appPanel } from './idp-admin/removal-pages.js';
import { ssoTab, type SsoTabContext } from './idp-admin/sso-tab.js';

export interface IdpAdminView {
  csrf: SafeHtml;
  nonce: string;
  notice?: string;
  error?: string;
  /** "Deactivate SSO" or "Activate SSO" was clicked on the SSO tab: the change waits for save. */
  ssoChange?: 'deactivate' | 'activate';
}

export const banner = (v: IdpAdminView): SafeHtml =>
  html`${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}`;

export const nav = html`<p><a href="/idp/admin">SSO applications</a> · <a href="/idp/admin/users">Users</a> · <a href="/idp/admin/groups">User groups</a> · <a href="/idp/admin/outbox">Outbox</a> · <a href="/idp/admin/okta">Okta Admin Console</a> · <a href="/debug">Trace viewer</a></p>`;

export function idpAppsPage(apps: readonly IdpApp[], catalogue: readonly { id: string; name: string }[], v: IdpAdminView): string {
  return page(
    'SSO applications',
    html`<h1>SSO applications</h1>${nav}${banner(v)}
<form method="post" action="/idp/admin/apps/delete">${v.csrf}
<table><tr><th></th><th>application</th><th>SSO</th><th>SP entity ID</th><th>groups</th></tr>${apps.map(
      (a) => html`<tr><td><input type="checkbox" id="select-${a.id}" name="app" value="${a.id}"><label for="select-${a.id}"><small>Select ${a.displayLabel}</small></label></td><td><a href="/idp/admin/apps/${encodeURIComponent(a.id)}">${a.displayLabel}</a> <small><code>${a.id}</code></small></td><td>${a.ssoActive ? 'active' : 'deactivated'}</td><td><code>${a.sp.entityId || '–'}</code></td><td>${a.groups.length}</td></tr>`,
    )}</table>
${apps.length > 0 ? html`<button type="submit">Delete</button>` : ''}</form>
<h2>Add an application</h2>
<form method="post" action="/idp/admin/apps">${v.csrf}
<label for="app-template">From the catalogue</label>
<select id="app-template" name="template">${catalogue.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select>
<label for="app-label">Display label</label><input id="app-label" name="displayLabel" placeholder="RingCentral">
<label for="app-mydomain">Your domain (replaces &lt;mydomain&gt; in the SP values)</label><input id="app-mydomain" name="mydomain" placeholder="localhost:8400">
<button type="submit">Activate</button></form>`,
    { side: 'idp' },
  );
}

function idmSection(app: IdpApp, idm: IdmView | undefined, v: IdpAdminView): SafeHtml {
  const base = `/idp/admin/apps/${encodeURIComponent(app.id)}/idm`;
  if (!idm) return html`<section><h2>Identity Management</h2><p>Not available for this application.</p></section>`;
  return html`<section><h2>Identity Management</h2>
<p>Status: <strong>${idm.status}</strong>${idm.error ? html` — <span class="fail">${idm.error.detail ?? idm.error.code}</span>` : ''}</p>
<p>Jobs: ${idm.jobs.succeeded} succeeded, ${idm.jobs.failed} failed, ${idm.jobs.pending} pending.</p>
<form method="post" action="${base}/configure">${v.csrf}<button type="submit">${idm.status === 'verified' ? 'Authorize again' : 'Configure and Authorize'}</button></form>
<p><a href="${base}/import">manual import</a>: the SP's users, New or Imported, to create in the IdP.</p>
<form method="post" action="${base}/deactivate">${v.csrf}<button type="submit">Deactivate IdM connection</button></form>
${idm.recentJobs.length > 0 ? html`<table><tr><th>user</th><th>action</th><th>status</th><th>when</th></tr>${idm.recentJobs.slice(-10).map(
      (j) => html`<tr><td>${j.userEmail}</td><td>${j.action}</td><td class="${j.status === 'succeeded' ? 'ok' : j.status === 'failed' ? 'fail' : 'skip'}">${j.status}</td><td>${j.createdAt}</td></tr>`,
    )}</table>` : ''}</section>`;
}

export function idpAppPage(
  app: IdpApp,
  ctx: SsoTabContext & { groups: readonly IdpGroup[]; customNames?: readonly string[]; idm?: IdmView },
  v: IdpAdminView,
): string {
  const base = `/idp/admin/apps/${encodeURIComponent(app.id)}`;
  return page(
    app.displayLabel,
    html`<h1>${app.displayLabel}</h1>${nav}${banner(v)}
${appPanel(app, ctx.idm?.status)}
<section><h2>General Info</h2>
<form method="post" action="${base}/general">${v.csrf}
<label for="display-label">Display label</label><input id="display-label" name="displayLabel" value="${app.displayLabel}">
<label for="description">Description</label><input id="description" name="description" value="${app.description ?? ''}">
<label for="mydomain">Your domain (replaces &lt;mydomain&gt;)</label><input id="mydomain" name="mydomain" placeholder="localhost:8400">
<button type="submit">Save</button></form></section>
${ssoTab(app, { ...ctx, ...(v.ssoChange && { ssoChange: v.ssoChange }) }, v)}
${attributesSection(app, ctx.customNames ?? [], v)}
${idmSection(app, ctx.idm, v)}
<section><h2>User Groups</h2>
<form method="post" action="${base}/groups">${v.csrf}
${ctx.groups.map((g) => html`<p><input type="checkbox" id="group-${g.id}" name="group" value="${g.id}"${app.groups.includes(g.id) ? html` checked` : ''}> <label for="group-${g.id}">${g.name}</label></p>`)}
${ctx.groups.length === 0 ? html`<p>No groups yet.</p>` : ''}
<button type="submit">Save</button></form></section>`,
    { side: 'idp' },
  );
}

export function idpUsersPage(users: readonly PublicIdpUser[], v: IdpAdminView): string {
  return page(
    'Users',
    html`<h1>Users</h1>${nav}${banner(v)}
<table><tr><th>email</th><th>name</th><th>profile</th><th>state</th><th>password expires</th><th></th></tr>${users.map(
      (u) => html`<tr><td>${u.email}</td><td>${u.firstName} ${u.lastName}</td><td>${userProfileSummary(u)}</td><td class="${u.suspended ? 'fail' : 'ok'}">${u.passwordExpired ? 'password expired' : u.suspended ? 'suspended' : 'active'}</td><td>${u.passwordExpiresAt ?? '–'}</td>
<td><form method="post" action="/idp/admin/users/${encodeURIComponent(u.id)}/suspend">${v.csrf}<input type="hidden" name="suspended" value="${u.suspended ? 'off' : 'on'}"><button type="submit">${u.suspended ? 'Unsuspend' : 'Suspend'}</button></form>
<form method="post" action="/idp/admin/users/${encodeURIComponent(u.id)}/password-expiry">${v.csrf}<label for="expiry-${u.id}">Password expires at (UTC)</label><input id="expiry-${u.id}" name="passwordExpiresAt" type="datetime-local"><button type="submit">Set</button></form></td></tr>`,
    )}</table>
<h2>Add a user</h2>
<form method="post" action="/idp/admin/users">${v.csrf}
<label for="user-email">Email</label><input id="user-email" name="email" type="email" required>
<label for="user-first">First name</label><input id="user-first" name="firstName" required>
<label for="user-last">Last name</label><input id="user-last" name="lastName" required>
${userProfileFields()}
<label for="user-password">Password</label><input id="user-password" name="password" type="password" autocomplete="new-password" required>
<button type="submit">Save user</button></form>`,
    { side: 'idp' },
  );
}

export function idpGroupsPage(groups: readonly IdpGroup[], users: readonly PublicIdpUser[], v: IdpAdminView): string {
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  return page(
    'User groups',
    html`<h1>User groups</h1>${nav}${banner(v)}
<table><tr><th>group</th><th>members</th><th></th></tr>${groups.map(
      (g) => html`<tr><td><a href="/idp/admin/groups/${encodeURIComponent(g.id)}">${g.name}</a></td><td>${g.members.map((m) => emailOf.get(m) ?? m).join(', ') || '–'}</td>
<td><form method="post" action="/idp/admin/groups/${encodeURIComponent(g.id)}/members">${v.csrf}<label for="member-${g.id}">Add a member</label><select id="member-${g.id}" name="user">${users.filter((u) => !g.members.includes(u.id)).map((u) => html`<option value="${u.id}">${u.email}</option>`)}</select><button type="submit">Add</button></form></td></tr>`,
    )}</table>
<h2>Add a group</h2>
<form method="post" action="/idp/admin/groups">${v.csrf}<label for="group-name">Group name</label><input id="group-name" name="name" required><button type="submit">Save group</button></form>`,
    { side: 'idp' },
  );
}
