// The IdP's mail catcher: the notification emails it sent its administrators (e.g. "your import is
// complete"), newest first, as an inbox would show them.
import type { IdpEmail } from '../../../idp/outbox.js';
import { html, page } from '../html.js';
import { nav } from '../idp-admin-pages.js';

export function idpOutboxPage(emails: readonly IdpEmail[]): string {
  const newestFirst = [...emails].reverse();
  return page(
    'IdP outbox',
    html`<h1>IdP outbox</h1>${nav}
<p>Email the IdP would have sent its administrators, newest first (also at <code>GET /idp/api/outbox</code>).</p>
${newestFirst.length === 0 ? html`<p>No email yet.</p>` : ''}
${newestFirst.map(
  (m) => html`<section><h2>${m.subject}</h2><p>To ${m.to} · sent ${m.sentAt}</p><pre>${m.text}</pre></section>`,
)}`,
    { side: 'idp' },
  );
}
