// The SCIM side of the trace viewer: the provisioning job log of every application, newest job
// first, each with the SCIM request/response pairs it made (headers as the job log stored them,
// i.e. already redacted).
import type { ProvisioningJob, ScimExchange } from '../../idp/identity-management.js';
import { html, page, type SafeHtml } from './html.js';

export interface AppJobs {
  appId: string;
  label: string;
  jobs: ProvisioningJob[];
}

/** Jobs shown at most, newest first: the page stays readable and bounded. */
export const SCIM_PAGE_JOBS = 50;

function headers(h: Record<string, string>): SafeHtml {
  const lines = Object.entries(h).map(([k, v]) => `${k}: ${v}`);
  return lines.length === 0 ? html`` : html`<pre>${lines.join('\n')}</pre>`;
}

function body(b: unknown): SafeHtml {
  if (b === undefined) return html``;
  return html`<pre>${typeof b === 'string' ? b : JSON.stringify(b, null, 2)}</pre>`;
}

function exchange(x: ScimExchange, i: number): SafeHtml {
  const status = x.response?.status;
  return html`<h3>${i + 1}. <code>${x.request.method} ${x.request.url}</code> → ${
    x.error !== undefined ? html`<span class="fail">${x.error}</span>` : html`<span class="${status !== undefined && status < 400 ? 'ok' : 'fail'}">${status ?? 'no response'}</span>`
  } <small>${x.at}</small></h3>
${headers(x.request.headers)}${body(x.request.body)}
${x.response ? html`<p>Response ${x.response.status}</p>${headers(x.response.headers)}${body(x.response.body)}` : ''}`;
}

export function scimPage(apps: readonly AppJobs[]): string {
  const jobs = apps
    .flatMap((a) => a.jobs.map((job) => ({ label: a.label, job })))
    .sort((a, b) => (a.job.createdAt < b.job.createdAt ? 1 : a.job.createdAt > b.job.createdAt ? -1 : 0))
    .slice(0, SCIM_PAGE_JOBS);
  return page(
    'SCIM provisioning jobs',
    html`<h1>SCIM provisioning jobs</h1>
<p>Every provisioning job the IdP ran against an SP's SCIM API (newest first, at most ${SCIM_PAGE_JOBS}), with the requests and responses it made. <a href="/debug">SAML traces</a></p>
${jobs.length === 0
  ? html`<p>No provisioning jobs yet${apps.length === 0 ? ' (no application has Identity Management configured)' : ''}.</p>`
  : html`<table><tr><th>time</th><th>application</th><th>user</th><th>action</th><th>status</th><th>attempts</th></tr>${jobs.map(
      ({ label, job }) => html`<tr><td>${job.createdAt}</td><td>${label}</td><td>${job.userEmail}</td><td>${job.action}</td><td class="${job.status === 'failed' ? 'fail' : job.status === 'succeeded' ? 'ok' : 'skip'}">${job.status}${job.error ? html`: ${job.error.message}` : ''}</td><td>${job.attempts}</td></tr>`,
    )}</table>
${jobs.map(
  ({ label, job }) => html`<section class="trace-entry"><h2>${job.action} ${job.userEmail} <small>(${label}, ${job.createdAt})</small></h2>
${job.note ? html`<p>${job.note}</p>` : ''}${job.exchanges.map(exchange)}${job.exchangesDropped > 0 ? html`<p>${job.exchangesDropped} more exchange(s) not kept.</p>` : ''}</section>`,
)}`}`,
    { side: 'debug' },
  );
}
