// The trace viewer at /debug (admin session required: traces hold users' assertions): every SAML
// exchange both sides recorded, grouped by login, each login as a sequence diagram with its
// decoded messages, checks and the setting to change; export as JSON or HAR, and import of an
// exported JSON for viewing. Mounted behind requireAdmin + checkCsrf (src/http/app.ts).
import { Router, type Request, type Response } from 'express';
import { HarnessError, isHarnessError } from '../errors.js';
import type { IdentityManagementPort } from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import type { TraceLog } from '../trace/trace-log.js';
import { csrfField } from './admin-session.js';
import { showAgain } from './error-view.js';
import { exportFileName, readTraceExport, traceExport, traceHar } from '../trace/export.js';
import { scimPage, type AppJobs } from './views/debug-scim.js';
import { groupFlows } from '../trace/flows.js';
import { entryPage, flowPage, importPage, listPage } from './views/debug-pages.js';
import { consoleScope, type ConsoleScopeSource } from './console-scope.js';

function sideOf(value: unknown): 'idp' | 'sp' | undefined {
  return value === 'idp' || value === 'sp' ? value : undefined;
}

function flowEntries(trace: TraceLog, flow: string) {
  const entries = trace.list({ flow });
  if (entries.length === 0) throw new HarnessError('NOT_FOUND', `no login ${flow} in the trace (it may have been cleared or fallen off the end)`);
  return entries;
}

/** The pasted text (form field `trace`), or an export posted as JSON (with its `_csrf`). */
function importedText(req: Request): string {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (req.is('application/json')) {
    const { _csrf: _c, ...rest } = body;
    return JSON.stringify(rest);
  }
  return typeof body.trace === 'string' ? body.trace : '';
}

/** The pasted trace, or the error that refuses it with the import form to show again. */
function readOrShowAgain(text: string, form: (err: HarnessError) => string): ReturnType<typeof readTraceExport> {
  try {
    // An empty form, or an export posted as JSON with nothing but its CSRF field.
    if (text.trim() === '' || text === '{}') throw new HarnessError('INPUT_INVALID', 'nothing was pasted', { expected: 'the export.json of a flow, downloaded from /debug' });
    return readTraceExport(text);
  } catch (err) {
    return showAgain(form)(err);
  }
}

/** Where /debug/scim reads the provisioning job log (src/provisioning/job-log.ts). */
export interface ScimJobSource {
  idp: Pick<IdentityProvider, 'apps'>;
  provisioning: Pick<IdentityManagementPort, 'jobs'>;
}

/** Every application's jobs; an application without Identity Management has none to show. */
async function scimJobs(source: ScimJobSource): Promise<AppJobs[]> {
  const out: AppJobs[] = [];
  for (const app of await source.idp.apps.list()) {
    try {
      const jobs = await source.provisioning.jobs(app.id);
      if (jobs.length > 0) out.push({ appId: app.id, label: app.displayLabel, jobs });
    } catch (err) {
      if (!isHarnessError(err)) throw err;
    }
  }
  return out;
}

export function debugPagesRouter(trace: TraceLog, scim: ScimJobSource & ConsoleScopeSource): Router {
  const r = Router();

  r.get('/', (req, res) => {
    const side = sideOf(req.query.side);
    res.type('html').send(listPage({ groups: groupFlows(trace.list(side ? { side } : {})), side, csrf: csrfField(res), usage: trace.usage() }));
  });

  r.post('/clear', (_req, res) => {
    trace.clear();
    res.redirect(303, '/debug');
  });

  r.get('/flows/:flow', async (req, res) => {
    const entries = flowEntries(trace, req.params.flow);
    res.type('html').send(flowPage({ flow: req.params.flow, entries, scope: await consoleScope(scim, entries) }));
  });

  r.get('/flows/:flow/export.json', (req, res) => {
    const { flow } = req.params;
    const body = traceExport(flow, flowEntries(trace, flow), trace.now());
    res.attachment(exportFileName(flow, 'json')).type('application/json').send(JSON.stringify(body, null, 2));
  });

  r.get('/flows/:flow/export.har', (req, res) => {
    const { flow } = req.params;
    const har = traceHar(flowEntries(trace, flow));
    res.attachment(exportFileName(flow, 'har')).type('application/json').send(JSON.stringify(har, null, 2));
  });

  r.get('/entries/:id', async (req, res) => {
    const entry = trace.get(req.params.id);
    if (!entry) throw new HarnessError('NOT_FOUND', `no trace entry ${req.params.id}`);
    const scope = entry.error === undefined ? undefined : await consoleScope(scim, entry.flow === undefined ? [entry] : trace.list({ flow: entry.flow }));
    res.type('html').send(entryPage(entry, scope));
  });

  r.get('/import', (_req, res) => {
    res.type('html').send(importPage(csrfField(res)));
  });

  // Imported traces are rendered, never stored: nothing pasted here can reach the trace log or
  // be mistaken for an exchange this harness saw, and nothing needs evicting.
  r.post('/import', (req: Request, res: Response) => {
    const text = importedText(req);
    const { flow, entries } = readOrShowAgain(text, (err) => importPage(csrfField(res), `This trace cannot be shown: ${err.message}.`, text));
    res.type('html').send(flowPage({ flow, entries, imported: true }));
  });

  r.get('/scim', async (_req, res) => {
    res.type('html').send(scimPage(await scimJobs(scim)));
  });

  return r;
}
