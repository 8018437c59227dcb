// The IdP console's "manual import" (Identity Management tab) and its outbox, where the email of a
// background import arrives. Mounted inside the IdP console router (admin session and CSRF checked).
import { Router, type Response } from 'express';
import { HarnessError } from '../errors.js';
import type { ImportResult } from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { BACKGROUND_IMPORT_OVER, DEFAULT_IMPORT_NOTIFY } from '../provisioning/importer.js';
import { csrfField } from './admin-session.js';
import { showAgain } from './error-view.js';
import type { IdpAdminView } from './views/idp-admin-pages.js';
import { idpImportPage } from './views/idp-admin/import-page.js';
import { idpOutboxPage } from './views/idp-admin/outbox-page.js';

/** The ticked users' SCIM ids: one field per checkbox. */
const ticked = (body: unknown): string[] => {
  const v = (body as Record<string, unknown> | undefined)?.user;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : typeof v === 'string' && v !== '' ? [v] : [];
};

export function idpAdminImportRouter(idp: IdentityProvider): Router {
  const r = Router();
  const view = (res: Response, extra: Partial<IdpAdminView> = {}): IdpAdminView => ({ csrf: csrfField(res), nonce: String(res.locals.nonce ?? ''), ...extra });

  /** The page; without a verified integration it shows the error and no list. */
  const importPage = async (res: Response, appId: string, opts: { newOnly: boolean; results?: ImportResult[]; listable?: boolean }, extra: Partial<IdpAdminView> = {}): Promise<string> => {
    const app = await idp.apps.get(appId);
    const candidates = opts.listable === false ? undefined : await idp.provisioning.importCandidates(app.id);
    const lastImport = await idp.provisioning.lastImport(app.id);
    return idpImportPage(
      app,
      {
        ...(candidates && { candidates }),
        newOnly: opts.newOnly,
        ...(lastImport && { lastImport }),
        ...(opts.results && { results: opts.results }),
        notify: DEFAULT_IMPORT_NOTIFY,
        backgroundOver: BACKGROUND_IMPORT_OVER,
      },
      view(res, extra),
    );
  };
  const notVerified = (err: HarnessError): boolean => err.code === 'IDM_NOT_VERIFIED';

  r.get('/apps/:id/idm/import', async (req, res) => {
    const appId = String(req.params.id);
    const newOnly = req.query.filter === 'new';
    const html = await importPage(res, appId, { newOnly }).catch(
      showAgain((err) => importPage(res, appId, { newOnly, listable: false }, { error: `${err.message} (${err.code})` }), notVerified),
    );
    res.type('html').send(html);
  });

  r.post('/apps/:id/idm/import', async (req, res) => {
    const appId = String(req.params.id);
    const all = (req.body as Record<string, unknown> | undefined)?.all === 'on';
    const users = ticked(req.body);
    const refused = (err: HarnessError) =>
      importPage(res, appId, { newOnly: false, listable: !notVerified(err) }, { error: `${err.message} (${err.code})` });
    const outcome = await (async () => {
      if (!all && users.length === 0) {
        throw new HarnessError('INPUT_INVALID', 'No user is selected: tick the New users to import (or "All New users"), then click Import.', {
          expected: 'at least one ticked user',
          received: 'none',
        });
      }
      return idp.provisioning.importUsers(appId, all ? { all: true } : { userIds: users });
    })().catch(showAgain(refused, (err) => err.status < 500 && err.code !== 'IDP_APP_NOT_FOUND'));
    const notice = outcome.background
      ? `Importing ${outcome.requested} users in the background: an email arrives at ${DEFAULT_IMPORT_NOTIFY} when the import is complete (see the IdP outbox).`
      : `Imported ${outcome.results?.filter((x) => x.result === 'imported').length ?? 0} of ${outcome.requested} users.`;
    res.type('html').send(await importPage(res, appId, { newOnly: false, ...(outcome.results && { results: outcome.results }) }, { notice }));
  });

  r.get('/outbox', async (_req, res) => {
    res.type('html').send(idpOutboxPage(await idp.outbox.list()));
  });

  return r;
}
