// The SP's authorization pages (RingCentral-like): sign in (email or phone number, then an
// optional extension and the password), consent, and the administrator-permissions outcome.
// Plain forms, no script; every form carries its authorization request id and CSRF token.
import type { HarnessError } from '../../errors.js';
import type { SpRole } from '../../sp/model.js';
import { html, page, type SafeHtml } from './html.js';

const BASE = '/restapi/oauth/authorize';

interface FormIds {
  requestId: string;
  csrfToken: string;
}

const ROLE_LABELS: Record<SpRole, string> = { user: 'Standard User', 'user-admin': 'User Admin', 'super-admin': 'Super Admin' };

function hidden(ids: FormIds): SafeHtml {
  return html`<input type="hidden" name="request" value="${ids.requestId}"><input type="hidden" name="csrf_token" value="${ids.csrfToken}">`;
}

function errorLine(error: HarnessError | undefined): SafeHtml | string {
  return error ? html`<p class="error" role="alert"><code>${error.code}</code>: ${error.message}</p>` : '';
}

export function oauthIdentifyPage(opts: FormIds & { clientName: string; login?: string; error?: HarnessError }): string {
  return page(
    'Sign in to RingCentral',
    html`<h1>Sign in</h1><p><strong>${opts.clientName}</strong> is asking to connect to your RingCentral account.</p>
${errorLine(opts.error)}
<form method="post" action="${BASE}/sign-in">${hidden(opts)}
<label for="login">Email or phone number</label>
<input id="login" name="login" autocomplete="username" value="${opts.login ?? ''}" required autofocus>
<button type="submit">Next</button></form>`,
    { side: 'sp' },
  );
}

export function oauthPasswordPage(
  opts: FormIds & { clientName: string; login: string; phone: boolean; extension?: string; error?: HarnessError },
): string {
  return page(
    'Sign in to RingCentral',
    html`<h1>Sign in</h1><p><strong>${opts.clientName}</strong> is asking to connect to your RingCentral account.</p>
${errorLine(opts.error)}
<form method="post" action="${BASE}/sign-in">${hidden(opts)}
<label for="login">Email or phone number</label>
<input id="login" name="login" autocomplete="username" value="${opts.login}" required>
${opts.phone ? html`<label for="extension">Extension (optional)</label><input id="extension" name="extension" inputmode="numeric" value="${opts.extension ?? ''}">` : ''}
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign In</button></form>`,
    { side: 'sp' },
  );
}

export function oauthConsentPage(opts: FormIds & { clientName: string; accountName: string; email: string }): string {
  return page(
    'Authorize access',
    html`<h1>${opts.clientName} wants to administer users of ${opts.accountName}</h1>
<p>Signed in as <strong>${opts.email}</strong>.</p>
<p>${opts.clientName} will be able to create, update, deactivate and delete the users of <strong>${opts.accountName}</strong> through the RingCentral SCIM API, until the access is revoked.</p>
<form method="post" action="${BASE}/consent">${hidden(opts)}
<button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="cancel">Cancel</button></form>`,
    { side: 'sp' },
  );
}

export function oauthNotAdminPage(
  opts: FormIds & { clientName: string; accountName: string; email: string; role: SpRole; error: HarnessError },
): string {
  return page(
    'You need administrator permissions',
    html`<h1>You need administrator permissions</h1>
<div class="error"><p><code>${opts.error.code}</code>: ${opts.error.message}.</p>
<p>Only a User Admin or higher can let ${opts.clientName} administer the users of ${opts.accountName}; you are a ${ROLE_LABELS[opts.role]}. Ask your RingCentral administrator for the User Admin role, or sign in as an administrator.</p></div>
<form method="post" action="${BASE}/return">${hidden(opts)}<button type="submit">Return to ${opts.clientName}</button></form>
<form method="post" action="${BASE}/sign-in">${hidden(opts)}<button type="submit">Sign in as another user</button></form>`,
    { side: 'sp' },
  );
}
