// The trace viewer at /debug (admin session required: traces hold users' assertions): every SAML
// exchange both sides recorded, newest first.
import { Router } from 'express';
import type { TraceLog } from '../trace/trace-log.js';
import { csrfField } from './admin-session.js';
import { html, page } from './views/html.js';

export function debugPagesRouter(trace: TraceLog): Router {
  const r = Router();
  r.get('/', (_req, res) => {
    const entries = [...trace.list({})].reverse();
    res.type('html').send(
      page(
        'Trace viewer',
        html`<h1>Trace viewer</h1>
<p>${entries.length} exchange${entries.length === 1 ? '' : 's'} recorded.</p>
<table><tr><th>time</th><th>side</th><th>message</th><th>verdict</th><th>summary</th></tr>${entries.map(
          (e) => html`<tr><td>${e.at}</td><td>${e.side}</td><td>${e.direction} ${e.kind}</td><td class="${e.verdict === 'rejected' ? 'fail' : 'ok'}">${e.verdict}${e.error ? html` <code>${e.error.code}</code>` : ''}</td><td>${e.summary}</td></tr>`,
        )}</table>
<form method="post" action="/admin/logout">${csrfField(res)}<button type="submit">Sign out</button></form>`,
        { side: 'debug' },
      ),
    );
  });
  return r;
}
