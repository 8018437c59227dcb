// The account's Users page "Add user" form: what an administrator types to create a user by hand
// (the RingCentral administrator the seeds sign in as, or a user to sign in with SSO).
import type { Account } from '../../../sp/model.js';
import { html, type SafeHtml } from '../html.js';

export function addUserForm(account: Account, csrf: SafeHtml): SafeHtml {
  return html`<section><h2>Add user</h2>
<form method="post" action="/sp/admin/accounts/${encodeURIComponent(account.id)}/users">${csrf}
<label for="user-email">Email</label><input id="user-email" name="email" type="email" required maxlength="254" autocomplete="off">
<label for="user-first-name">First name</label><input id="user-first-name" name="firstName" required maxlength="100">
<label for="user-last-name">Last name</label><input id="user-last-name" name="lastName" required maxlength="100">
<label for="user-extension">Extension (optional, digits)</label><input id="user-extension" name="extension" inputmode="numeric" maxlength="8">
<label for="user-role">Role</label><select id="user-role" name="role"><option value="user">User</option><option value="user-admin">User Admin</option><option value="super-admin">Super Admin</option></select>
<label for="user-password">Password (optional: for "SSO or RingCentral password" and for authorizing Identity Management)</label><input id="user-password" name="password" type="password" autocomplete="new-password" maxlength="200">
<button type="submit">Add user</button></form></section>`;
}
