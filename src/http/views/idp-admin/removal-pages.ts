// "Removing the Integration", in the JumpCloud document's words: the "Deactivate IdM connection"
// link under the application's name on the left-hand panel and its confirm step, and deleting
// applications from the list, confirmed by typing how many are being deleted.
import type { IdmStatus } from '../../../idp/identity-management.js';
import type { IdpApp } from '../../../idp/model.js';
import { html, page, type SafeHtml } from '../html.js';
import type { FormContext } from './sso-tab.js';

const heading = (title: string, v: { error?: string }): SafeHtml =>
  html`<h1>${title}</h1><p><a href="/idp/admin">SSO applications</a></p>${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}`;

/** The left-hand panel: the application's name, and the IdM link while a connection is on. */
export function appPanel(app: IdpApp, idmStatus: IdmStatus | undefined): SafeHtml {
  const connected = idmStatus !== undefined && idmStatus !== 'off' && idmStatus !== 'deactivated';
  return html`<aside class="app-panel" aria-label="${app.displayLabel}"><p><strong>${app.displayLabel}</strong> <small>${app.template}</small></p>
${connected ? html`<p><a id="deactivate-idm" href="/idp/admin/apps/${encodeURIComponent(app.id)}/idm/deactivate">Deactivate IdM connection</a></p>` : ''}</aside>`;
}

export function idmDeactivatePage(app: IdpApp, v: FormContext & { error?: string }): string {
  const base = `/idp/admin/apps/${encodeURIComponent(app.id)}`;
  return page(
    'Deactivate IdM connection',
    html`${heading(`Deactivate the IdM connection of ${app.displayLabel}?`, v)}
<p>Previously bound users remain active in the SP and can still sign in with SSO while it is activated. No further updates are made to their accounts through Identity Management.</p>
<form method="post" action="${base}/idm/deactivate">${v.csrf}<button type="submit">confirm</button></form>
<p><a href="${base}">Cancel</a></p>`,
    { side: 'idp' },
  );
}

export function deleteAppsPage(apps: readonly IdpApp[], v: FormContext & { error?: string }): string {
  const n = apps.length;
  return page(
    'Delete applications',
    html`${heading(`Delete ${n} application${n === 1 ? '' : 's'}?`, v)}
<ul>${apps.map((a) => html`<li>${a.displayLabel} <small><code>${a.id}</code></small></li>`)}</ul>
<p>Each application is removed from the IdP; users bound to it stay active in the SP and sign in there with the password they had before SSO.</p>
<form method="post" action="/idp/admin/apps/delete/confirm">${v.csrf}
${apps.map((a) => html`<input type="hidden" name="app" value="${a.id}">`)}
<label for="delete-count">Enter the number of the applications you are deleting</label><input id="delete-count" name="count" inputmode="numeric" autocomplete="off" required>
<button type="submit">Delete Application</button></form>
<p><a href="/idp/admin">Cancel</a></p>`,
    { side: 'idp' },
  );
}
