// The Okta Admin Console's pages under /idp/admin/okta: add an application as Okta's RingCentral
// document does (search, Add, General Settings, Next, Sign-On Options, setup instructions, Done),
// and assign it to people and groups. An application added here is Okta-flavoured: its
// provisioning uses Okta's call sequence. The JumpCloud console's pages stay as they are.
import type { Request, Response, Router } from 'express';
import { CATALOGUE, catalogueEntry, MYDOMAIN, type CatalogueEntry } from '../../idp/catalogue.js';
import type { IdentityProvider } from '../../idp/identity-provider.js';
import { publicUser } from '../../idp/model.js';
import { HarnessError } from '../../errors.js';
import type { IdpAdminView } from '../views/idp-admin-pages.js';
import { oktaAddAppPage, oktaAppPath, oktaAppsPage, oktaDashboardPage, oktaGeneralSettingsPage, oktaSignOnPage } from '../views/idp-admin/okta-add-pages.js';
import { oktaAppPage, oktaSetupInstructionsPage } from '../views/idp-admin/okta-app-pages.js';
import { showAgain } from '../error-view.js';
import type { ConsoleKit } from './console-change.js';
import { uploadSpMetadataFile } from './metadata-upload.js';

/** Search texts are names, never long. */
const SEARCH_MAX = 100;

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

function searchText(req: Request): string {
  const q = req.query.q;
  const text = typeof q === 'string' ? q.trim() : '';
  if (text.length > SEARCH_MAX) {
    throw new HarnessError('INPUT_INVALID', `the search text is ${text.length} characters long`, {
      expected: `at most ${SEARCH_MAX} characters, such as RingCentral`,
      received: `${text.length} characters`,
      fields: { q: 'too long' },
    });
  }
  return text;
}

const needsDomain = (entry: CatalogueEntry): boolean => JSON.stringify(entry.defaults.sp).includes(MYDOMAIN);

function requireEntry(id: string): CatalogueEntry {
  const entry = catalogueEntry(id);
  if (!entry) {
    throw new HarnessError('NOT_FOUND', `no application ${id} in the catalogue`, { expected: CATALOGUE.map((e) => e.id).join(', '), received: id });
  }
  return entry;
}

function required(value: string, name: string, what: string): string {
  if (value === '') throw new HarnessError('INPUT_INVALID', `choose ${what}`, { expected: what, received: 'nothing chosen', fields: { [name]: 'required' } });
  return value;
}

/** "Done": SAML 2.0 is the sign-on option the harness offers; the application is Okta's from now on. */
async function chooseSignOn(idp: IdentityProvider, id: string, method: string) {
  if (method !== 'saml2') {
    throw new HarnessError('INPUT_INVALID', 'select a sign on option in the Sign On Methods section', {
      expected: 'SAML 2.0',
      received: method || 'none selected',
      fields: { signOnMethod: 'SAML 2.0 is the option this application offers' },
    });
  }
  return idp.apps.update(id, { flavor: 'okta' });
}

export function mountOktaRoutes(r: Router, idp: IdentityProvider, kit: ConsoleKit): void {
  const defaultDomain = new URL(idp.baseUrl).host;
  const pages = {
    apps: async (res: Response, query: string, extra: Partial<IdpAdminView> = {}) =>
      oktaAppsPage(await idp.apps.list(), query, (a) => idp.flavorOf(a), kit.view(res, extra)),
    add: (res: Response, query: string, extra: Partial<IdpAdminView> = {}) => oktaAddAppPage(CATALOGUE, query, kit.view(res, extra)),
    general: async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => {
      const entry = requireEntry(id);
      return oktaGeneralSettingsPage(entry, { needsDomain: needsDomain(entry), domain: defaultDomain }, kit.view(res, extra));
    },
    signOn: async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => oktaSignOnPage(await idp.apps.get(id), kit.view(res, extra)),
    app: async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => {
      const app = await idp.apps.get(id);
      return oktaAppPage(
        app,
        {
          flavor: idp.flavorOf(app),
          metadataUrl: idp.apps.endpoints(app).metadataUrl,
          users: (await idp.directory.listUsers()).map(publicUser),
          groups: await idp.directory.listGroups(),
        },
        kit.view(res, extra),
      );
    },
  };
  // A refused search shows its page again, with the message and no results.
  const search = (render: (res: Response, query: string, extra?: Partial<IdpAdminView>) => string | Promise<string>) => async (req: Request, res: Response) => {
    const query = await Promise.resolve()
      .then(() => searchText(req))
      .catch(showAgain((err) => render(res, '', { error: `${err.message} (${err.code})` })));
    kit.send(res, await render(res, query));
  };

  r.get('/okta', (_req, res) => kit.send(res, oktaDashboardPage(kit.view(res))));
  r.get('/okta/apps', search(pages.apps));
  r.get('/okta/add-app', search(pages.add));
  r.get('/okta/add-app/:id', async (req, res) => kit.send(res, await pages.general(req.params.id, res)));
  const create = kit.change(async (req) => {
    const entry = requireEntry(String(req.params.id));
    const mydomain = field(req.body, 'mydomain');
    if (needsDomain(entry)) required(mydomain, 'mydomain', `the ${entry.name} domain (a host name, optionally with :port)`);
    const app = await idp.apps.create({ template: entry.id, displayLabel: field(req.body, 'displayLabel'), flavor: 'okta', ...(mydomain && { mydomain }) });
    return { redirect: `${oktaAppPath(app.id)}/sign-on` };
  }, pages.general);
  r.post('/okta/add-app/:id', async (req, res) => {
    // An entry not in the catalogue has no General Settings page to show a refusal on.
    requireEntry(String(req.params.id));
    await create(req, res);
  });

  r.get('/okta/apps/:id', async (req, res) => kit.send(res, await pages.app(req.params.id, res)));
  r.get('/okta/apps/:id/sign-on', async (req, res) => kit.send(res, await pages.signOn(req.params.id, res)));
  // Done lands on the application page; a refusal stays on the Sign-On Options pane.
  r.post('/okta/apps/:id/sign-on', async (req, res) => {
    const id = String(req.params.id);
    const app = await chooseSignOn(idp, id, field(req.body, 'signOnMethod')).catch(
      showAgain((err) => pages.signOn(id, res, { error: `${err.message} (${err.code})` }), (err) => err.status < 500 && err.code !== 'IDP_APP_NOT_FOUND'),
    );
    kit.send(res, await pages.app(id, res, { notice: `${app.displayLabel} is added, signing on with SAML 2.0. Assign it to people or groups below.` }));
  });
  const instructions = async (id: string, res: Response, extra: Partial<IdpAdminView> = {}) => {
    const app = await idp.apps.get(id);
    const { current } = await idp.keys.signingKeys(app.id);
    const { ssoUrl, metadataUrl } = idp.apps.endpoints(app);
    const values = { ssoUrl, metadataUrl, issuer: app.idpEntityId, certificatePem: current.certificatePem.trim(), sha256Fingerprint: current.certificate.fingerprint256 };
    return oktaSetupInstructionsPage(app, values, kit.view(res, extra));
  };
  r.get('/okta/apps/:id/setup-instructions', async (req, res) => kit.send(res, await instructions(req.params.id, res)));
  // The instructions' last step: RingCentral's metadata, whose certificate verifies its signed AuthnRequests.
  r.post('/okta/apps/:id/setup-instructions/sp-metadata', kit.change((req) => uploadSpMetadataFile(idp, String(req.params.id), req), instructions));
  r.get('/okta/apps/:id/certificate', async (req, res) => {
    const app = await idp.apps.get(req.params.id);
    const { current } = await idp.keys.signingKeys(app.id);
    res.attachment('okta.cert').type('application/x-pem-file').send(current.certificatePem);
  });

  const assign = (kind: 'people' | 'groups', assigned: boolean) =>
    kit.change(async (req) => {
      const id = String(req.params.id);
      if (kind === 'people') {
        const userId = required(field(req.body, 'user'), 'user', 'a person to assign');
        const user = await idp.directory.getUser(userId);
        const app = await idp.apps.assignUser(id, user.id, assigned);
        return assigned ? `Assigned ${app.displayLabel} to ${user.email}.` : `${user.email} is no longer assigned directly.`;
      }
      const group = await idp.directory.getGroup(required(field(req.body, 'group'), 'group', 'a group to assign'));
      const app = await idp.apps.bindGroup(id, group.id, assigned);
      return assigned ? `Assigned ${app.displayLabel} to the group ${group.name}.` : `The group ${group.name} is no longer assigned.`;
    }, pages.app);
  r.post('/okta/apps/:id/assignments/people', assign('people', true));
  r.post('/okta/apps/:id/assignments/people/remove', assign('people', false));
  r.post('/okta/apps/:id/assignments/groups', assign('groups', true));
  r.post('/okta/apps/:id/assignments/groups/remove', assign('groups', false));
}
