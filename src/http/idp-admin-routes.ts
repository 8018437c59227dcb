// The IdP administrator's console at /idp/admin (admin session and CSRF checked by app.ts). Each
// form goes through the same domain calls as the JSON admin API; a refused change comes back on
// the page with its message and code.
import { Router, type Request, type Response } from 'express';
import { CATALOGUE, missingSettings } from '../idp/catalogue.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { publicUser } from '../idp/model.js';
import { csrfField } from './admin-session.js';
import { mountAttributeRoutes } from './idp-admin/attributes-routes.js';
import { mountGroupRoutes } from './idp-admin/group-routes.js';
import type { ChangeOutcome } from './idp-admin/console-change.js';
import { mountOktaProvisioningRoutes } from './idp-admin/okta-provisioning-routes.js';
import { mountOktaProvisioningSettingsRoutes } from './idp-admin/okta-provisioning-settings-routes.js';
import { mountOktaRoutes } from './idp-admin/okta-routes.js';
import { userFormInput } from './idp-admin/user-form-input.js';
import { showAgain } from './error-view.js';
import { idpAdminImportRouter } from './idp-admin-import-routes.js';
import { idpAppConsoleRouter } from './idp-admin-app-routes.js';
import { idpAppPage, idpAppsPage, idpGroupsPage, idpUsersPage, type IdpAdminView } from './views/idp-admin-pages.js';

const text = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};
const list = (body: unknown, name: string): string[] => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
};

export function idpAdminRouter(idp: IdentityProvider): Router {
  const r = Router();
  const view = (res: Response, extra: Partial<IdpAdminView> = {}): IdpAdminView => ({ csrf: csrfField(res), nonce: String(res.locals.nonce ?? ''), ...extra });

  const page = {
    apps: async (res: Response, extra: Partial<IdpAdminView> = {}): Promise<string> => idpAppsPage(await idp.apps.list(), CATALOGUE, view(res, extra)),
    app: async (res: Response, id: string, extra: Partial<IdpAdminView> = {}): Promise<string> => {
      const app = await idp.apps.get(id);
      const idm = await idp.provisioning.view(app.id).catch(() => undefined);
      const customNames = (await idp.directory.customAttributeNames()).slice(0, 200);
      return idpAppPage(app, { endpoints: idp.apps.endpoints(app), missing: missingSettings(app), scenarios: idp.scenarios.list(), groups: await idp.directory.listGroups(), customNames, ...(idm && { idm }) }, view(res, extra));
    },
    users: async (res: Response, extra: Partial<IdpAdminView> = {}): Promise<string> => idpUsersPage((await idp.directory.listUsers()).map(publicUser), view(res, extra)),
    groups: async (res: Response, extra: Partial<IdpAdminView> = {}): Promise<string> =>
      idpGroupsPage(await idp.directory.listGroups(), (await idp.directory.listUsers()).map(publicUser), view(res, extra)),
  };
  const send = (res: Response, html: string): void => {
    res.type('html').send(html);
  };

  /**
   * Runs a form's change and shows the page again with what happened. A refused one leaves with
   * the page to show its message on; an unknown application has no page.
   */
  const change =
    (apply: (req: Request, res: Response) => Promise<ChangeOutcome>, show: (id: string, res: Response, extra: Partial<IdpAdminView>) => Promise<string>) =>
    async (req: Request, res: Response): Promise<void> => {
      // Read now: the error handler that renders the page runs outside this router, without its params.
      const id = String(req.params.id);
      const outcome = await apply(req, res).catch(
        showAgain((err) => show(id, res, { error: `${err.message} (${err.code})` }), (err) => err.status < 500 && err.code !== 'IDP_APP_NOT_FOUND'),
      );
      if (typeof outcome === 'string') send(res, await show(id, res, { notice: outcome }));
      else if ('redirect' in outcome) res.redirect(303, outcome.redirect);
      else send(res, outcome.page);
    };
  const appPage = (id: string, res: Response, extra: Partial<IdpAdminView>) => page.app(res, id, extra);

  r.get('/', async (_req, res) => send(res, await page.apps(res)));
  r.use(idpAppConsoleRouter(idp, { change, appPage, appsPage: (_id, res, extra) => page.apps(res, extra) }));
  r.post(
    '/apps',
    change(
      async (req) => {
        const label = text(req.body, 'displayLabel');
        const mydomain = text(req.body, 'mydomain');
        const app = await idp.apps.create({ template: text(req.body, 'template') || 'custom-saml', ...(label && { displayLabel: label }), ...(mydomain && { mydomain }) });
        return { redirect: `/idp/admin/apps/${encodeURIComponent(app.id)}` };
      },
      (_id, res, extra) => page.apps(res, extra),
    ),
  );

  r.get('/apps/:id', async (req, res) => send(res, await page.app(res, req.params.id)));
  r.post(
    '/apps/:id/general',
    change(async (req) => {
      const mydomain = text(req.body, 'mydomain');
      await idp.apps.update(String(req.params.id), { displayLabel: text(req.body, 'displayLabel'), description: text(req.body, 'description'), ...(mydomain && { mydomain }) });
      return 'Saved.';
    }, appPage),
  );
  r.post(
    '/apps/:id/sp-metadata',
    change(async (req) => {
      const app = await idp.apps.uploadSpMetadata(String(req.params.id), text(req.body, 'xml'));
      return `Uploaded the SP metadata of ${app.sp.entityId}.`;
    }, appPage),
  );
  r.post(
    '/apps/:id/groups',
    change(async (req) => {
      const id = String(req.params.id);
      const wanted = new Set(list(req.body, 'group'));
      const app = await idp.apps.get(id);
      for (const g of await idp.directory.listGroups()) {
        if (wanted.has(g.id) !== app.groups.includes(g.id)) await idp.apps.bindGroup(id, g.id, wanted.has(g.id));
      }
      return 'Saved the bound groups.';
    }, appPage),
  );
  r.post(
    '/apps/:id/idm/configure',
    change(async (req) => ({ redirect: (await idp.provisioning.configure(String(req.params.id), {})).authorizeUrl }), appPage),
  );
  r.post(
    '/apps/:id/idm/deactivate',
    change(async (req) => {
      await idp.provisioning.deactivate(String(req.params.id));
      return 'Identity Management deactivated: no further updates reach the SP.';
    }, appPage),
  );
  r.use(idpAdminImportRouter(idp));

  r.get('/users', async (_req, res) => send(res, await page.users(res)));
  const usersPage = (_id: string, res: Response, extra: Partial<IdpAdminView>) => page.users(res, extra);
  r.post(
    '/users',
    change(async (req) => `Saved ${(await idp.directory.createUser(userFormInput(req.body))).email}.`, usersPage),
  );
  r.post(
    '/users/:id/suspend',
    change(async (req) => {
      const user = await idp.directory.updateUser(String(req.params.id), { suspended: text(req.body, 'suspended') === 'on' });
      return `${user.email} is ${user.suspended ? 'suspended' : 'active again'}.`;
    }, usersPage),
  );
  r.post(
    '/users/:id/password-expiry',
    change(async (req) => {
      const value = text(req.body, 'passwordExpiresAt');
      const at = value === '' ? null : new Date(`${value.length === 16 ? `${value}:00` : value}Z`).toISOString();
      const user = await idp.directory.updateUser(String(req.params.id), { passwordExpiresAt: at });
      return `${user.email}: password ${at ? `expires at ${at}` : 'does not expire'}.`;
    }, usersPage),
  );

  r.get('/groups', async (_req, res) => send(res, await page.groups(res)));
  const groupsPage = (_id: string, res: Response, extra: Partial<IdpAdminView>) => page.groups(res, extra);
  r.post(
    '/groups',
    change(async (req) => `Saved group ${(await idp.directory.createGroup({ name: text(req.body, 'name') })).name}.`, groupsPage),
  );
  r.post(
    '/groups/:id/members',
    change(async (req) => {
      await idp.directory.setMembership(String(req.params.id), text(req.body, 'user'), true);
      return 'Added.';
    }, groupsPage),
  );

  mountAttributeRoutes(r, idp, { change, appPage, view, send });
  mountGroupRoutes(r, idp, { change, appPage, view, send });
  mountOktaRoutes(r, idp, { change, appPage, view, send });
  mountOktaProvisioningRoutes(r, idp, { change, appPage, view, send });
  mountOktaProvisioningSettingsRoutes(r, idp, { change, appPage, view, send });
  return r;
}
