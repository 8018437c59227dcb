// The Identity Management tab's "manual import", as JumpCloud's "Importing Users" describes it:
// the SP's users with their import status (New / Imported), checkboxes, the "New Users only"
// filter, Import; the results of an import under 100 users, or word of the background import and
// its email; the last import's failures; and the document's warning about bound groups.
import type { ImportCandidate, ImportResult, ImportRun } from '../../../idp/identity-management.js';
import type { IdpApp } from '../../../idp/model.js';
import { html, page, type SafeHtml } from '../html.js';
import { banner, nav, type IdpAdminView } from '../idp-admin-pages.js';

export interface ImportPageData {
  /** Undefined when the SP's users cannot be listed (Identity Management not verified). */
  candidates?: readonly ImportCandidate[];
  newOnly: boolean;
  lastImport?: ImportRun;
  /** The outcome of the import just run, each user with its result. */
  results?: readonly ImportResult[];
  /** Who gets the email of a background import. */
  notify: string;
  backgroundOver: number;
}

const RESULT_WORDS: Record<ImportResult['result'], string> = { imported: 'Imported', 'already-imported': 'Already imported', failed: 'Failed' };

function resultsTable(results: readonly ImportResult[]): SafeHtml {
  return html`<section><h2>Import results</h2>
<table><tr><th scope="col">user</th><th scope="col">result</th></tr>${results.map(
    (r) =>
      html`<tr><td>${r.email || r.scimId}</td><td class="${r.result === 'failed' ? 'fail' : 'ok'}">${RESULT_WORDS[r.result]}${r.error ? `: ${r.error}` : ''}</td></tr>`,
  )}</table></section>`;
}

/** What a scheduled import found, and whether it imported the New users or only listed them. */
function scheduledFindings(found: NonNullable<ImportRun['found']>): SafeHtml {
  const more = found.new - found.newUsers.length;
  return html`<p>The scheduled import found ${found.new} New and ${found.imported} Imported users${
    found.confirmed ? '.' : html`; the New users were not imported, because "Confirm new users automatically" is off (To Okta): tick them below and Import.`
  }</p>${found.newUsers.length > 0 ? html`<ul>${found.newUsers.map((e) => html`<li>New: ${e}</li>`)}${more > 0 ? html`<li>and ${more} more</li>` : ''}</ul>` : ''}`;
}

function lastImportSection(run: ImportRun): SafeHtml {
  if (run.status === 'running') {
    return html`<section><h2>Last import</h2><p role="status">An import of ${run.requested} users is running in the background (started ${run.startedAt}); an email arrives at ${run.notify ?? 'the administrator'} when it is complete.</p></section>`;
  }
  return html`<section><h2>Last import</h2>${run.found ? scheduledFindings(run.found) : ''}
<p>Completed ${run.finishedAt ?? ''}${run.background ? ' in the background' : ''}${run.trigger === 'scheduled' ? ' (scheduled import, To Okta)' : ''}: ${run.requested} requested, ${run.imported} imported, ${run.alreadyImported} already imported, ${run.failures.length} failed.</p>
${run.failures.length > 0 ? html`<table><tr><th scope="col">user not imported</th><th scope="col">why</th></tr>${run.failures.map((f) => html`<tr><td>${f.email || f.scimId}</td><td class="fail">${f.error}</td></tr>`)}</table>` : ''}</section>`;
}

function userList(base: string, candidates: readonly ImportCandidate[], d: ImportPageData, v: IdpAdminView): SafeHtml {
  const newCount = candidates.filter((c) => c.status === 'New').length;
  const shown = d.newOnly ? candidates.filter((c) => c.status === 'New') : [...candidates].sort((a, b) => a.email.localeCompare(b.email));
  return html`<form method="get" action="${base}" class="inline">
<input type="checkbox" id="new-only" name="filter" value="new"${d.newOnly ? html` checked` : ''}> <label for="new-only">New Users only</label>
<button type="submit">Apply filter</button></form>
<form method="post" action="${base}">${v.csrf}
<table><caption>${candidates.length} users in the SP: ${newCount} New, ${candidates.length - newCount} Imported${d.newOnly ? ' (Imported users hidden by the filter)' : ''}.</caption>
<tr><th scope="col">select</th><th scope="col">user</th><th scope="col">name</th><th scope="col">import status</th></tr>${shown.map((c, i) =>
    c.status === 'New'
      ? html`<tr><td><input type="checkbox" id="import-user-${i}" name="user" value="${c.scimId}"></td><td><label for="import-user-${i}">${c.email}</label></td><td>${c.firstName} ${c.lastName}</td><td>New</td></tr>`
      : html`<tr><td>–</td><td>${c.email}</td><td>${c.firstName} ${c.lastName}</td><td class="ok">Imported</td></tr>`,
  )}</table>
${shown.length === 0 ? html`<p>${d.newOnly ? 'No New users: every SP user has an IdP account.' : 'The SP has no users.'}</p>` : ''}
<p><input type="checkbox" id="import-all-new" name="all" value="on"> <label for="import-all-new">All New users (${newCount})</label></p>
<p>Importing ${d.backgroundOver} users or fewer shows the results here when it ends; more run in the background, and an email arrives at ${d.notify} when the import is complete (see the <a href="/idp/admin/outbox">IdP outbox</a>).</p>
<button type="submit">Import</button></form>`;
}

export function idpImportPage(app: IdpApp, d: ImportPageData, v: IdpAdminView): string {
  const appPath = `/idp/admin/apps/${encodeURIComponent(app.id)}`;
  const base = `${appPath}/idm/import`;
  return page(
    `Manual import: ${app.displayLabel}`,
    html`<h1>Manual import: ${app.displayLabel}</h1>${nav}
<p><a href="${appPath}">Back to ${app.displayLabel}</a> (Identity Management tab)</p>${banner(v)}
<p class="error" role="note"><strong>Warning:</strong> Imported users must be members of a user group bound to an application for JumpCloud to manage their identity in, and access to, the application.</p>
${d.results ? resultsTable(d.results) : ''}
${d.candidates ? userList(base, d.candidates, d, v) : ''}
${d.lastImport ? lastImportSection(d.lastImport) : ''}`,
    { side: 'idp' },
  );
}
