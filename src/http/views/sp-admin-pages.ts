// The SP administrator's pages, shaped like RingCentral's: the accounts, and per account the
// "Single Sign-on" page ("Set up SSO by yourself": Upload IdP Metadata, Attribute Mapping, Save,
// Download; "Enable SSO"; "Manage Your Login") and the user directory. Forms work without
// JavaScript and carry the admin session's CSRF token.
import { summarizeCertificate, pinnedCertificate } from '../../crypto/keys.js';
import type { Account, PublicSpUser } from '../../sp/model.js';
import { PLAN_LABELS, planOf } from '../../sp/plans.js';
import { html, page, type SafeHtml } from './html.js';
import { newAccountForm, planForm } from './sp-admin/account-forms.js';
import { mappingWarning } from './sp-admin/mapping-warning.js';
import { metadataFileForm, securityForm } from './sp-admin/sso-security-form.js';
import { addUserForm } from './sp-admin/user-form.js';

export interface SpAdminView {
  csrf: SafeHtml;
  nowMs: number;
  notice?: string;
  error?: string;
  /** What the SSO page's forms show of this harness: its real IdP base URL, the upload limit, the SP's encryption key. */
  setup?: { idpBaseUrl: string; maxUploadBytes: number; hasEncryptionKey: boolean };
}

const banner = (v: SpAdminView): SafeHtml =>
  html`${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}`;

export function spAccountsPage(accounts: readonly Account[], v: SpAdminView): string {
  return page(
    'SP accounts',
    html`<h1>SP accounts</h1>${banner(v)}
<table><tr><th>account</th><th>plan</th><th>SSO</th><th>IdP</th><th></th></tr>${accounts.map(
      (a) => html`<tr><td>${a.name} <small><code>${a.id}</code></small></td><td>${PLAN_LABELS[planOf(a)]}</td><td>${a.sso.enabled ? 'enabled' : 'off'}</td><td>${a.sso.idp?.entityId ?? '–'}</td>
<td><a href="/sp/admin/accounts/${encodeURIComponent(a.id)}/sso">Single Sign-on</a> · <a href="/sp/admin/accounts/${encodeURIComponent(a.id)}/users">Users</a> · <a href="/sp/admin/accounts/${encodeURIComponent(a.id)}/scim-access">SCIM access</a> · <a href="/sp/accounts/${encodeURIComponent(a.id)}/outbox">Outbox</a></td></tr>`,
    )}</table>
${accounts.length === 0 ? html`<p>No accounts yet: create one below.</p>` : ''}
${newAccountForm(v.csrf)}`,
    { side: 'sp' },
  );
}

function importedIdp(account: Account, nowMs: number): SafeHtml {
  const idp = account.sso.idp;
  if (!idp) return html`<p>No IdP metadata imported yet.</p>`;
  const certs = idp.certificates.map((c) => {
    try {
      return summarizeCertificate(pinnedCertificate(c), nowMs);
    } catch {
      return undefined;
    }
  });
  return html`<h3>Imported IdP</h3><table>
<tr><th scope="row">Entity ID</th><td><code>${idp.entityId}</code></td></tr>
<tr><th scope="row">Sign-in URLs</th><td>${idp.ssoServices.map((s) => html`<div><code>${s.location}</code> <small>${s.binding.replace(/^.*:/, '')}</small></div>`)}</td></tr>
<tr><th scope="row">Single Logout</th><td>${(idp.sloServices ?? []).length > 0 ? (idp.sloServices ?? []).map((s) => html`<div><code>${s.location}</code> <small>${s.binding.replace(/^.*:/, '')}</small></div>`) : 'none'}</td></tr>
<tr><th scope="row">Certificates</th><td>${certs.map((c, i) => (c ? html`<div>${i === 0 ? 'Primary' : i === 1 ? 'Secondary' : `#${i + 1}`}: ${c.subject.replace(/\n/g, ', ')} · ${c.keyBits ?? '?'} bits · expires ${c.notAfter.slice(0, 10)}${c.expired ? html` <strong class="fail">expired</strong>` : ''} · <small><code>${c.sha256}</code></small></div>` : html`<div>unreadable certificate</div>`))}</td></tr>
<tr><th scope="row">Attributes offered</th><td>${idp.attributes.length > 0 ? idp.attributes.join(', ') : 'none listed'}</td></tr>
<tr><th scope="row">Imported</th><td>${idp.importedAt} from ${idp.source.kind === 'url' ? idp.source.url : 'a file'}</td></tr></table>`;
}

function mappingForm(account: Account, v: SpAdminView): SafeHtml {
  const base = `/sp/admin/accounts/${encodeURIComponent(account.id)}/sso`;
  const mapping = account.sso.emailMapping;
  const offered = account.sso.idp?.attributes ?? [];
  const selected = (value: string): boolean =>
    mapping?.kind === 'nameid' ? value === 'nameid' : mapping?.kind === 'custom' ? value === 'custom' : mapping?.kind === 'attribute' && value === `attribute:${mapping.name}`;
  return html`<h3>Attribute Mapping</h3>
<form method="post" action="${base}/mapping">${v.csrf}
<label for="email-mapping">Map Email Attribute to</label>
<select id="email-mapping" name="mapping">${mapping ? '' : html`<option value="" selected>Not mapped</option>`}${offered.map((a) => html`<option value="attribute:${a}"${selected(`attribute:${a}`) ? html` selected` : ''}>${a}</option>`)}
<option value="nameid"${selected('nameid') ? html` selected` : ''}>NameID</option>
<option value="custom"${selected('custom') ? html` selected` : ''}>Custom</option></select>
<label for="custom-attribute">Custom attribute name (used with Custom)</label>
<input id="custom-attribute" name="custom" value="${mapping?.kind === 'custom' ? mapping.name : ''}">
<button type="submit">Save</button></form>${mappingWarning(mapping, account.sso.idp?.attributes)}`;
}

export function spSsoPage(account: Account, v: SpAdminView): string {
  const base = `/sp/admin/accounts/${encodeURIComponent(account.id)}/sso`;
  const sso = account.sso;
  return page(
    `Single Sign-on · ${account.name}`,
    html`<h1>Single Sign-on</h1><p>Account <strong>${account.name}</strong> · <a href="/sp/admin">all accounts</a> · <a href="/sp/admin/accounts/${encodeURIComponent(account.id)}/users">users</a> · <a href="/sp/admin/accounts/${encodeURIComponent(account.id)}/scim-access">SCIM provisioning access</a></p>${banner(v)}
<section><h2>Set up SSO by yourself</h2>
<h3>Upload IdP Metadata</h3>
<form method="post" action="${base}/idp-metadata">${v.csrf}
<label for="metadata-source">Upload from</label>
<select id="metadata-source" name="source"><option value="url">URL</option><option value="xml">XML (pasted file)</option></select>
<label for="metadata-url">Metadata URL</label><input id="metadata-url" name="url" type="url" placeholder="${v.setup ? `${v.setup.idpBaseUrl}/idp/apps/<app id>/metadata` : ''}">
<label for="metadata-xml">Metadata XML</label><textarea id="metadata-xml" name="xml" rows="5"></textarea>
<button type="submit">Import</button></form>
${v.setup ? metadataFileForm(account, v.csrf, v.setup.maxUploadBytes) : ''}
${importedIdp(account, v.nowMs)}
${mappingForm(account, v)}
<h3>SP metadata</h3><p><a href="/sp/metadata?download&amp;account=${encodeURIComponent(account.id)}">Download</a> the SP metadata to upload at the IdP.</p></section>
<section><h2>Enable SSO</h2>
<form method="post" action="${base}/settings">${v.csrf}
<p><input type="checkbox" id="sso-enabled" name="enabled" value="on"${sso.enabled ? html` checked` : ''}> <label for="sso-enabled">Enable SSO</label></p>
<fieldset><legend>Manage Your Login</legend>
<p><input type="radio" id="login-sso-only" name="loginMode" value="sso-only"${sso.loginMode === 'sso-only' ? html` checked` : ''}> <label for="login-sso-only">SSO only</label></p>
<p><input type="radio" id="login-sso-or-password" name="loginMode" value="sso-or-password"${sso.loginMode === 'sso-or-password' ? html` checked` : ''}> <label for="login-sso-or-password">SSO or RingCentral password</label></p></fieldset>
<p><input type="checkbox" id="single-logout" name="singleLogout" value="on"${sso.singleLogout ? html` checked` : ''}> <label for="single-logout">Single Logout (not in RingCentral: for a generic SP)</label></p>
<p><input type="checkbox" id="allow-unsolicited" name="allowUnsolicited" value="on"${sso.allowUnsolicited ? html` checked` : ''}> <label for="allow-unsolicited">Accept IdP-initiated logins</label></p>
<button type="submit">Save</button></form></section>
${securityForm(account, v.csrf, v.setup?.hasEncryptionKey ?? false)}
${planForm(account, v.csrf)}`,
    { side: 'sp' },
  );
}

export function spUsersPage(account: Account, users: readonly PublicSpUser[], v: SpAdminView): string {
  return page(
    `Users · ${account.name}`,
    html`<h1>Users</h1><p>Account <strong>${account.name}</strong> · <a href="/sp/admin/accounts/${encodeURIComponent(account.id)}/sso">Single Sign-on</a></p>${banner(v)}
<table><tr><th>email</th><th>name</th><th>status</th><th>role</th><th>extension</th><th>created via</th></tr>${users.map(
      (u) => html`<tr><td>${u.email}</td><td>${u.firstName} ${u.lastName}</td><td class="${u.status === 'active' ? 'ok' : u.status === 'pending' ? 'skip' : 'fail'}">${u.status}</td><td>${u.role}</td><td>${u.extension?.number ?? ''}</td><td>${u.createdVia}</td></tr>`,
    )}</table>${users.length === 0 ? html`<p>No users.</p>` : ''}
${addUserForm(account, v.csrf)}`,
    { side: 'sp' },
  );
}
