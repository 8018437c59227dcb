// The Okta application's Provisioning tab, Integration pane: Configure API Integration, Enable
// API Integration, Import Groups (clearing it goes through the Disable Import Groups dialog) and
// Authenticate with RingCentral, which starts the SP's OAuth sign-in as the Okta client.
import type { Request, Response, Router } from 'express';
import { HarnessError } from '../../errors.js';
import type { IdentityProvider } from '../../idp/identity-provider.js';
import type { IdpAdminView } from '../views/idp-admin-pages.js';
import { disableImportGroupsPage, integrationPane, oktaProvisioningPage } from '../views/idp-admin/okta-provisioning-pages.js';
import type { ConsoleKit } from './console-change.js';

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** Said once Import Groups is cleared: the box changes nothing at RingCentral, and the page says why. */
const NO_GROUPS_NOTE =
  'Import Groups is off. RingCentral has no groups to import: its SCIM API serves users only (its ResourceTypes list User alone), so nothing was imported from it with the box ticked either.';

const ACTIONS = ['save', 'authenticate'] as const;

export function mountOktaProvisioningRoutes(r: Router, idp: IdentityProvider, kit: ConsoleKit): void {
  const integration = (editing: boolean) => async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => {
    const app = await idp.apps.get(id);
    const [settings, idm] = await Promise.all([idp.provisioning.settings(id), idp.provisioning.view(id)]);
    const v = kit.view(res, extra);
    return oktaProvisioningPage(app, 'integration', integrationPane(app, { settings, idm, editing }, v), v);
  };

  r.get('/okta/apps/:id/provisioning', async (req, res) => kit.send(res, await integration(false)(req.params.id, res)));
  r.get('/okta/apps/:id/provisioning/integration', async (req, res) => kit.send(res, await integration(true)(req.params.id, res)));

  const save = kit.change(async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const action = ACTIONS.find((a) => a === field(req.body, 'action'));
    if (!action) {
      throw new HarnessError('INPUT_INVALID', 'choose Save or Authenticate with RingCentral', { expected: ACTIONS.join(' or '), received: field(req.body, 'action') || 'nothing', fields: { action: 'required' } });
    }
    const apiIntegration = field(req.body, 'apiIntegration') === 'on';
    const confirmed = field(req.body, 'importGroupsConfirmed') === 'off';
    const importGroups = confirmed ? false : field(req.body, 'importGroups') === 'on';
    const current = await idp.provisioning.settings(id);
    if (current.importGroups && !importGroups && !confirmed) return { page: disableImportGroupsPage(await idp.apps.get(id), { apiIntegration, action }, kit.view(res)) };
    if (action === 'authenticate' && !apiIntegration) {
      throw new HarnessError('INPUT_INVALID', 'select Enable API Integration before you authenticate with RingCentral', {
        expected: 'Enable API Integration selected',
        received: 'not selected',
        fields: { apiIntegration: 'required to authenticate' },
      });
    }
    await idp.provisioning.updateSettings(id, { apiIntegration, importGroups });
    if (action === 'authenticate') return { redirect: (await idp.provisioning.configure(id, { flavor: 'okta' })).authorizeUrl };
    return [current.importGroups && !importGroups ? NO_GROUPS_NOTE : '', 'Saved the API integration.'].filter(Boolean).join(' ');
  }, integration(true));
  r.post('/okta/apps/:id/provisioning/integration', save);
}
