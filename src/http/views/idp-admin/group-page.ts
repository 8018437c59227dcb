// One user group, as JumpCloud's Groups panel shows it: its members, and the Applications tab
// where the administrator ticks the SSO applications the group may use ("Authorize Users to an
// SSO Application", the second way the seed names) and saves.
import type { IdpApp, IdpGroup, PublicIdpUser } from '../../../idp/model.js';
import { html, page } from '../html.js';
import { banner, type IdpAdminView } from '../idp-admin-pages.js';

export function idpGroupPage(group: IdpGroup, ctx: { apps: readonly IdpApp[]; users: readonly PublicIdpUser[] }, v: IdpAdminView): string {
  const emailOf = new Map(ctx.users.map((u) => [u.id, u.email]));
  const base = `/idp/admin/groups/${encodeURIComponent(group.id)}`;
  return page(
    group.name,
    html`<h1>${group.name}</h1>
<p><a href="/idp/admin">SSO applications</a> · <a href="/idp/admin/users">Users</a> · <a href="/idp/admin/groups">User groups</a></p>${banner(v)}
<section><h2>Users</h2>${group.members.length > 0 ? html`<ul>${group.members.map((m) => html`<li>${emailOf.get(m) ?? m}</li>`)}</ul>` : html`<p>No members yet.</p>`}</section>
<section><h2>Applications</h2>
<p>Members of this group may sign in to the applications ticked here (the same binding as an application's User Groups tab).</p>
<form method="post" action="${base}/apps" aria-label="Applications">${v.csrf}
${ctx.apps.map((a) => html`<p><input type="checkbox" id="app-${a.id}" name="app" value="${a.id}"${a.groups.includes(group.id) ? html` checked` : ''}> <label for="app-${a.id}">${a.displayLabel}</label> <small><code>${a.id}</code></small></p>`)}
${ctx.apps.length === 0 ? html`<p>No applications yet.</p>` : ''}
<button type="submit">Save</button></form></section>`,
    { side: 'idp' },
  );
}
