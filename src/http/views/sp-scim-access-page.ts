// The SP administrator's "SCIM provisioning access" page of an account: the URLs an outside IdP
// or SCIM client is given, its OAuth clients (register, delete) and its static SCIM tokens (mint,
// revoke). A new secret or token is shown once, on the page that answers its creation.
import type { AccountOAuthClientView } from '../../sp/oauth/account-clients.js';
import { DIRECTORY_PROVIDERS, type Account } from '../../sp/model.js';
import type { ScimTokenView } from '../../sp/scim-tokens.js';
import { html, page, type SafeHtml } from './html.js';
import type { SpAdminView } from './sp-admin-pages.js';

export interface ScimAccessConnection {
  scimBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
}

/** A credential just made: its secret is on this page and nowhere else, ever again. */
export type ShownOnce =
  | { kind: 'client'; clientId: string; clientSecret: string; name: string }
  | { kind: 'token'; token: string; name: string };

export interface ScimAccessView extends SpAdminView {
  connection: ScimAccessConnection;
  clients: readonly AccountOAuthClientView[];
  tokens: readonly ScimTokenView[];
  shownOnce?: ShownOnce;
}

function shownOnce(s: ShownOnce | undefined): SafeHtml {
  if (!s) return html``;
  const rows =
    s.kind === 'client'
      ? html`<tr><th scope="row">Client ID</th><td><code id="new-client-id">${s.clientId}</code></td></tr>
<tr><th scope="row">Client Secret</th><td><code id="new-client-secret">${s.clientSecret}</code></td></tr>`
      : html`<tr><th scope="row">Token</th><td><code id="new-scim-token">${s.token}</code></td></tr>`;
  return html`<section class="notice" role="status"><h2>${s.kind === 'client' ? 'New OAuth client' : 'New SCIM token'}: ${s.name}</h2>
<p><strong>Copy it now: it is not shown again.</strong> The harness keeps only its SHA-256.</p>
<table class="kv">${rows}</table></section>`;
}

function clientsSection(base: string, v: ScimAccessView): SafeHtml {
  const rows = v.clients.map(
    (c) => html`<tr><td>${c.name}</td><td><code>${c.clientId}</code></td><td>${c.redirectUris.map((u) => html`<div><code>${u}</code></div>`)}</td><td>${c.createdAt}</td>
<td><form method="post" action="${base}/oauth-clients/delete">${v.csrf}<input type="hidden" name="clientId" value="${c.clientId}"><button type="submit" aria-label="Delete ${c.name}">Delete</button></form></td></tr>`,
  );
  return html`<section><h2>OAuth clients</h2>
<p>For an IdP that runs "Authenticate with RingCentral" (the authorization code flow): give it the client ID and secret, the authorize and token URLs above, and register the redirect URI it uses. Only a User Admin or Super Admin of this account can authorize it, and its tokens reach this account only. Deleting a client ends its tokens.</p>
${v.clients.length > 0 ? html`<table><tr><th>name</th><th>client ID</th><th>redirect URIs</th><th>created</th><th></th></tr>${rows}</table>` : html`<p>No OAuth clients.</p>`}
<h3>Register an OAuth client</h3>
<form method="post" action="${base}/oauth-clients">${v.csrf}
<label for="client-name">Name (shown on the consent page)</label><input id="client-name" name="name" required maxlength="100" placeholder="Okta">
<label for="client-redirect-uris">Redirect URIs, one per line (https, or http on localhost; matched exactly)</label>
<textarea id="client-redirect-uris" name="redirectUris" rows="3" required></textarea>
<button type="submit">Register</button></form></section>`;
}

function tokensSection(base: string, v: ScimAccessView): SafeHtml {
  const rows = v.tokens.map(
    (t) => html`<tr><td>${t.name}</td><td><code>${t.id}</code></td><td>${t.createdAt}</td><td>${t.lastUsedAt ?? 'never'}</td>
<td><form method="post" action="${base}/tokens/revoke">${v.csrf}<input type="hidden" name="tokenId" value="${t.id}"><button type="submit" aria-label="Revoke ${t.name}">Revoke</button></form></td></tr>`,
  );
  return html`<section><h2>SCIM tokens</h2>
<p>For a client configured with a fixed secret: Entra ID's "Secret Token", Okta's "HTTP Header" authentication. The client sends <code>Authorization: Bearer &lt;token&gt;</code> to the SCIM base URL above; the token reaches this account only. Last use is recorded at most once a minute.</p>
${v.tokens.length > 0 ? html`<table><tr><th>name</th><th>id</th><th>created</th><th>last used</th><th></th></tr>${rows}</table>` : html`<p>No SCIM tokens.</p>`}
<h3>Mint a SCIM token</h3>
<form method="post" action="${base}/tokens">${v.csrf}
<label for="token-name">Name</label><input id="token-name" name="name" required maxlength="100" placeholder="Entra ID provisioning">
<button type="submit">Mint</button></form></section>`;
}

/** Directory Integrations → Directory Provider (src/sp/directory-provider.ts). */
function directorySection(base: string, account: Account, v: ScimAccessView): SafeHtml {
  const current = account.scim.directoryProvider ?? 'none';
  const options = DIRECTORY_PROVIDERS.map((p) => html`<option value="${p}"${p === current ? html` selected` : ''}>${p === 'scim' ? 'SCIM' : 'None'}</option>`);
  return html`<section><h2>Directory Integrations</h2>
<p>Microsoft Entra ID provisions this account only when the Directory Provider is SCIM (Microsoft's RingCentral tutorial sets it before authorizing); other SCIM clients are served either way.</p>
<form method="post" action="${base}/directory-provider">${v.csrf}
<label for="directory-provider">Directory Provider</label><select id="directory-provider" name="directoryProvider">${options}</select>
<button type="submit">Save</button></form></section>`;
}

export function spScimAccessPage(account: Account, v: ScimAccessView): string {
  const id = encodeURIComponent(account.id);
  const base = `/sp/admin/accounts/${id}/scim-access`;
  const c = v.connection;
  const banner = html`${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}`;
  return page(
    `SCIM provisioning access · ${account.name}`,
    html`<h1>SCIM provisioning access</h1><p>Account <strong>${account.name}</strong> · <a href="/sp/admin">all accounts</a> · <a href="/sp/admin/accounts/${id}/sso">Single Sign-on</a> · <a href="/sp/admin/accounts/${id}/users">users</a></p>${banner}
${shownOnce(v.shownOnce)}
<section><h2>Connection</h2><table class="kv">
<tr><th scope="row">SCIM base URL (Tenant URL)</th><td><code>${c.scimBaseUrl}</code></td></tr>
<tr><th scope="row">OAuth authorize URL</th><td><code>${c.authorizeUrl}</code></td></tr>
<tr><th scope="row">OAuth token URL</th><td><code>${c.tokenUrl}</code></td></tr></table>
<p>The SCIM base URL is the same for every account: the token decides which account a request reaches.</p></section>
${directorySection(base, account, v)}
${clientsSection(base, v)}
${tokensSection(base, v)}`,
    { side: 'sp' },
  );
}
