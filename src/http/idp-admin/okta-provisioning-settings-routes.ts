// The Okta Provisioning tab's To App and To Okta panes: each read-only with Edit, the form, and
// Save through the console's one error exit (a refused form comes back with the message).
import type { Request, Response, Router } from 'express';
import { HarnessError } from '../../errors.js';
import type { IdentityProvider } from '../../idp/identity-provider.js';
import { IMPORT_SCHEDULES, MATCH_RULES, type ProvisioningSettingsInput } from '../../idp/provisioning-settings.js';
import type { IdpAdminView } from '../views/idp-admin-pages.js';
import { DO_NOT_MAP, toAppPage, toOktaPage } from '../views/idp-admin/okta-provisioning-settings-pages.js';
import type { ConsoleKit } from './console-change.js';

/** The To App pane lists this many held-back changes. */
const HELD_BACK_SHOWN = 10;
/** The department select offers at most this many custom attributes (names are at most 64 characters). */
const CUSTOM_ATTRIBUTES_SHOWN = 200;

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};
const ticked = (body: unknown, name: string): boolean => field(body, name) === 'on';

function refused(name: string, message: string, expected: string, received: string): HarnessError {
  return new HarnessError('INPUT_INVALID', message, { expected, received: received || 'nothing', fields: { [name]: expected } });
}

/** Custom attribute names some IdP user has, sorted, each once. */
async function knownCustomAttributes(idp: IdentityProvider): Promise<string[]> {
  return (await idp.directory.customAttributeNames()).slice(0, CUSTOM_ATTRIBUTES_SHOWN);
}

/** The To App form as a settings input; a select outside its choices is refused, naming them. */
function toAppInput(body: unknown, customAttributes: readonly string[]): ProvisioningSettingsInput {
  const choice = <T extends string>(name: string, label: string, allowed: readonly T[]): T | null => {
    const value = field(body, name);
    if (value === DO_NOT_MAP) return null;
    const found = allowed.find((a) => a === value);
    if (!found) throw refused(name, `choose where ${label} comes from, or Do not map`, [...allowed, DO_NOT_MAP].join(', '), value);
    return found;
  };
  const department = choice('department', 'Department', ['department', ...customAttributes.map((n) => `custom:${n}` as const)]);
  return {
    toApp: {
      createUsers: ticked(body, 'createUsers'),
      updateUserAttributes: ticked(body, 'updateUserAttributes'),
      deactivateUsers: ticked(body, 'deactivateUsers'),
      attributeMappings: {
        phoneNumbers: choice('phoneNumbers', 'Phone numbers', ['phoneNumbers'] as const),
        addresses: choice('addresses', 'Addresses', ['addresses'] as const),
        department,
      },
    },
  };
}

function toOktaInput(body: unknown): ProvisioningSettingsInput {
  const importSchedule = IMPORT_SCHEDULES.find((s) => s === field(body, 'importSchedule'));
  if (!importSchedule) throw refused('importSchedule', 'choose an Import schedule', 'never, hourly or daily', field(body, 'importSchedule'));
  const matchBy = MATCH_RULES.find((m) => m === field(body, 'matchBy'));
  if (!matchBy) {
    throw refused('matchBy', 'choose when an imported user is an exact match to an Okta user: Email matches or Username matches', 'email or username', field(body, 'matchBy'));
  }
  return { toOkta: { importSchedule, matchBy, confirmNewUsers: ticked(body, 'confirmNewUsers') } };
}

export function mountOktaProvisioningSettingsRoutes(r: Router, idp: IdentityProvider, kit: ConsoleKit): void {
  const base = '/okta/apps/:id/provisioning';

  // A refused Save shows the form again with the message; a saved one shows the pane read-only.
  const toApp = (editing: boolean) => async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => {
    const app = await idp.apps.get(id);
    const [settings, customAttributes, jobs] = await Promise.all([idp.provisioning.settings(id), knownCustomAttributes(idp), idp.provisioning.jobs(id)]);
    const heldBack = jobs.filter((j) => j.status === 'skipped').slice(-HELD_BACK_SHOWN).reverse();
    return toAppPage(app, { settings, customAttributes, heldBack, editing: editing || extra.error !== undefined }, kit.view(res, extra));
  };
  const toOkta = (editing: boolean) => async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => {
    const app = await idp.apps.get(id);
    const [settings, idm] = await Promise.all([idp.provisioning.settings(id), idp.provisioning.view(id)]);
    return toOktaPage(app, { settings, schedule: idm.scheduledImport, editing: editing || extra.error !== undefined }, kit.view(res, extra));
  };

  r.get(`${base}/to-app`, async (req, res) => kit.send(res, await toApp(false)(req.params.id, res)));
  r.get(`${base}/to-app/edit`, async (req, res) => kit.send(res, await toApp(true)(req.params.id, res)));
  r.post(
    `${base}/to-app`,
    kit.change(async (req: Request) => {
      const id = String(req.params.id);
      await idp.provisioning.updateSettings(id, toAppInput(req.body, await knownCustomAttributes(idp)));
      return 'Saved the To App settings: they apply from the next change on.';
    }, toApp(false)),
  );

  r.get(`${base}/to-okta`, async (req, res) => kit.send(res, await toOkta(false)(req.params.id, res)));
  r.get(`${base}/to-okta/edit`, async (req, res) => kit.send(res, await toOkta(true)(req.params.id, res)));
  r.post(
    `${base}/to-okta`,
    kit.change(async (req: Request) => {
      const id = String(req.params.id);
      const saved = await idp.provisioning.updateSettings(id, toOktaInput(req.body));
      const next = (await idp.provisioning.view(id)).scheduledImport?.nextAt;
      return `Saved the To Okta settings.${saved.toOkta.importSchedule !== 'never' && next ? ` The next scheduled import is due at ${next}.` : ''}`;
    }, toOkta(false)),
  );
}
