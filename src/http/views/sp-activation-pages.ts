// The SP's mail catcher (an account's outbox) and the activation link's pages.
import type { OutboxMessage } from '../../sp/outbox.js';
import { html, page } from './html.js';

export function outboxPage(accountName: string, messages: readonly OutboxMessage[]): string {
  return page(
    'Outbox',
    html`<h1>Outbox of ${accountName}</h1>
<p>Mail the SP would have sent, newest first (also at <code>GET /sp/api/accounts/:id/outbox</code>).</p>
${messages.length === 0 ? html`<p>No messages yet.</p>` : ''}
${messages.map(
  (m) => html`<section class="message"><h2>${m.subject}</h2><p>To <strong>${m.to}</strong> · ${m.sentAt}</p>
<pre>${m.text}</pre><p><a href="${m.link}">${m.link}</a></p></section>`,
)}`,
    { side: 'sp' },
  );
}

export function activationPage(opts: { email: string; accountName: string; action: string; error?: string }): string {
  return page(
    'Activate your account',
    html`<h1>Activate your account</h1>${opts.error ? html`<p class="error">${opts.error}</p>` : ''}
<p>Set up <strong>${opts.email}</strong> in ${opts.accountName}.</p>
<form method="post" action="${opts.action}"><label for="password">Password (optional: leave empty to sign in with SSO only)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="8">
<button type="submit">Activate</button></form>`,
    { side: 'sp' },
  );
}

export function activatedPage(email: string): string {
  return page(
    'Account activated',
    html`<h1>Account activated</h1><p><strong id="email">${email}</strong> is active.</p><p><a href="/sp/login">Sign in</a></p>`,
    { side: 'sp' },
  );
}
