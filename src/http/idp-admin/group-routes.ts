// A user group's page in the console and its Applications tab: the ticked applications are the
// ones the group is bound to, exactly.
import type { Response, Router } from 'express';
import type { IdentityProvider } from '../../idp/identity-provider.js';
import { publicUser } from '../../idp/model.js';
import type { IdpAdminView } from '../views/idp-admin-pages.js';
import { idpGroupPage } from '../views/idp-admin/group-page.js';
import type { ConsoleKit } from './console-change.js';

const ticked = (body: unknown): string[] => {
  const v = (body as Record<string, unknown> | undefined)?.app;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
};

export function mountGroupRoutes(r: Router, idp: IdentityProvider, kit: ConsoleKit): void {
  const groupPage = async (id: string, res: Response, extra: Partial<IdpAdminView> = {}): Promise<string> =>
    idpGroupPage(await idp.directory.getGroup(id), { apps: await idp.apps.list(), users: (await idp.directory.listUsers()).map(publicUser) }, kit.view(res, extra));

  r.get('/groups/:id', async (req, res) => kit.send(res, await groupPage(req.params.id, res)));
  const saveApps = kit.change(async (req) => {
    const apps = await idp.apps.setAppsOfGroup(String(req.params.id), ticked(req.body));
    return apps.length > 0 ? `Saved: the group may use ${apps.map((a) => a.displayLabel).join(', ')}.` : 'Saved: the group may use no application.';
  }, groupPage);
  r.post('/groups/:id/apps', async (req, res) => {
    // An unknown group has no page to show a refusal on: it is the plain "not found".
    await idp.directory.getGroup(String(req.params.id));
    await saveApps(req, res);
  });
}
