// The IdP console's application steps beyond General Info: the SSO tab's settings and SP values,
// "Upload Metadata" as a file, "Deactivate SSO" then save, the "Deactivate IdM connection" confirm
// step, and deleting applications from the list with their count typed. Mounted by
// idp-admin-routes.ts, whose form runner (`change`) each form goes through.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { HarnessError } from '../errors.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import type { AppSettings } from '../idp/inputs.js';
import type { IdpApp } from '../idp/model.js';
import { csrfField } from './admin-session.js';
import { showAgain } from './error-view.js';
import { uploadSpMetadataFile } from './idp-admin/metadata-upload.js';
import type { IdpAdminView } from './views/idp-admin-pages.js';
import { deleteAppsPage, idmDeactivatePage } from './views/idp-admin/removal-pages.js';

type ShowPage = (id: string, res: Response, extra: Partial<IdpAdminView>) => Promise<string>;

export interface ConsoleForms {
  /** Runs a form's change and shows the page again with its notice, or its refusal. */
  change: (apply: (req: Request, res: Response) => Promise<string | { redirect: string }>, show: ShowPage) => RequestHandler;
  appPage: ShowPage;
  appsPage: ShowPage;
}

const field = (req: Request, name: string): string | undefined => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : undefined;
};
const text = (req: Request, name: string): string => field(req, name) ?? '';
const list = (req: Request, name: string): string[] => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
};

/** The SAML settings form as application settings: only what the form carries. */
function samlSettings(req: Request): AppSettings {
  const signed = text(req, 'signed');
  const settings: Record<string, unknown> = {
    nameIdProperty: text(req, 'nameIdProperty'),
    nameIdFormat: text(req, 'nameIdFormat'),
    signAssertion: signed === 'assertion' || signed === 'both',
    signResponse: signed === 'response' || signed === 'both',
    signatureAlgorithm: text(req, 'signatureAlgorithm'),
    encryption: { enabled: text(req, 'encryptAssertion') === 'on', dataAlgorithm: text(req, 'dataAlgorithm'), keyTransport: text(req, 'keyTransport') },
    responseScenario: text(req, 'responseScenario'),
    idpInitiated: text(req, 'idpInitiated') === 'on',
    defaultRelayState: text(req, 'defaultRelayState'),
  };
  const adminEmail = field(req, 'adminEmail');
  if (adminEmail !== undefined) settings.adminEmail = adminEmail;
  if (!['assertion', 'response', 'both'].includes(signed)) {
    throw new HarnessError('INPUT_INVALID', 'choose what is signed: the assertion, the response, or both', { fields: { signed: 'assertion, response or both' }, received: signed || 'nothing' });
  }
  return settings as AppSettings;
}

export function idpAppConsoleRouter(idp: IdentityProvider, forms: ConsoleForms): Router {
  const r = Router();
  const { change, appPage, appsPage } = forms;
  const formContext = (res: Response) => ({ csrf: csrfField(res), nonce: String(res.locals.nonce ?? '') });

  r.post(
    '/apps/:id/sso',
    change(async (req) => {
      const app = await idp.apps.update(String(req.params.id), samlSettings(req));
      return `Saved the SSO settings of ${app.displayLabel}.${app.adminEmail ? ` Administrator email decoded: ${app.adminEmail}.` : ''}`;
    }, appPage),
  );

  r.post(
    '/apps/:id/sp-values',
    change(async (req) => {
      const acsUrls = text(req, 'acsUrls')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (acsUrls.length > 20) throw new HarnessError('INPUT_INVALID', `${acsUrls.length} ACS URLs: at most 20 are accepted`, { fields: { acsUrls: 'at most 20 lines' } });
      const app = await idp.apps.update(String(req.params.id), { spEntityId: text(req, 'spEntityId'), acsUrls: acsUrls.map((url) => ({ url })) });
      return `Saved the SP values of ${app.displayLabel}.`;
    }, appPage),
  );

  r.post(
    '/apps/:id/sp-metadata-file',
    change((req) => uploadSpMetadataFile(idp, String(req.params.id), req), appPage),
  );

  // "Deactivate SSO" (or "Activate SSO") shows the tab asking for a save; save makes the change.
  for (const change_ of ['deactivate', 'activate'] as const) {
    r.get(`/apps/:id/sso/${change_}`, async (req, res) => {
      res.type('html').send(await appPage(String(req.params.id), res, { ssoChange: change_ }));
    });
    r.post(
      `/apps/:id/sso/${change_}`,
      change(async (req) => {
        const app = await idp.apps.update(String(req.params.id), { ssoActive: change_ === 'activate' });
        return app.ssoActive
          ? `SSO activated for ${app.displayLabel}.`
          : `SSO deactivated for ${app.displayLabel}: it no longer signs anyone in. Its users keep their accounts in the SP.`;
      }, appPage),
    );
  }

  r.get('/apps/:id/idm/deactivate', async (req, res) => {
    const app = await idp.apps.get(String(req.params.id));
    res.type('html').send(idmDeactivatePage(app, formContext(res)));
  });

  const selectedApps = async (req: Request): Promise<IdpApp[]> => {
    const ids = [...new Set(list(req, 'app'))];
    if (ids.length === 0) {
      throw new HarnessError('INPUT_INVALID', 'no application is selected: check the box of each application to delete, then click Delete', { fields: { app: 'at least one' } });
    }
    if (ids.length > 100) throw new HarnessError('INPUT_INVALID', `${ids.length} applications selected: at most 100 at once`, { fields: { app: 'at most 100' } });
    return Promise.all(ids.map((id) => idp.apps.get(id)));
  };
  const appsAgain = (res: Response) => showAgain((err) => appsPage('', res, { error: `${err.message} (${err.code})` }), (err) => err.status < 500);

  r.post('/apps/delete', async (req, res) => {
    const apps = await selectedApps(req).catch(appsAgain(res));
    res.type('html').send(deleteAppsPage(apps, formContext(res)));
  });

  r.post('/apps/delete/confirm', async (req, res) => {
    const apps = await selectedApps(req).catch(appsAgain(res));
    const typed = text(req, 'count');
    if (typed !== String(apps.length)) {
      const err = new HarnessError('INPUT_INVALID', `you entered "${typed}", but ${apps.length} application${apps.length === 1 ? ' is' : 's are'} being deleted: enter ${apps.length} to delete ${apps.length === 1 ? 'it' : 'them'}`, {
        fields: { count: String(apps.length) },
        expected: String(apps.length),
        received: typed || 'nothing',
      });
      showAgain(() => deleteAppsPage(apps, { ...formContext(res), error: `${err.message} (${err.code})` }))(err);
    }
    for (const app of apps) await idp.apps.delete(app.id);
    const names = apps.map((a) => a.displayLabel).join(', ');
    res.type('html').send(await appsPage('', res, { notice: `Deleted ${apps.length} application${apps.length === 1 ? '' : 's'}: ${names}. Users bound to ${apps.length === 1 ? 'it' : 'them'} stay active in the SP.` }));
  });

  return r;
}
