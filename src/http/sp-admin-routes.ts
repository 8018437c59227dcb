// The SP administrator's pages at /sp/admin (admin session and CSRF checked by app.ts): the
// "Single Sign-on" page of an account, its user directory and its SCIM provisioning access. Each form posts, the change goes
// through the same domain calls as the JSON admin API, and the page comes back with what happened.
import { Router, type Request, type Response } from 'express';
import { HarnessError } from '../errors.js';
import { publicSpUser, type EmailMapping } from '../sp/model.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import { csrfField } from './admin-session.js';
import { showAgain } from './error-view.js';
import { spConsoleFormsRouter, type SpConsoleSetup } from './sp-console-forms-routes.js';
import { spScimAccessRouter } from './sp-scim-access-routes.js';
import { unofferedAttribute } from './views/sp-admin/mapping-warning.js';
import { spAccountsPage, spSsoPage, spUsersPage, type SpAdminView } from './views/sp-admin-pages.js';

const text = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

export function spAdminRouter(sp: ServiceProvider, setup: SpConsoleSetup): Router {
  const r = Router();
  const view = (res: Response, extra: Partial<SpAdminView> = {}): SpAdminView => ({
    csrf: csrfField(res),
    nowMs: sp.clock.now(),
    setup: { ...setup, hasEncryptionKey: sp.encryptionKey !== undefined },
    ...extra,
  });

  const ssoPage = async (accountId: string, res: Response, extra: Partial<SpAdminView> = {}): Promise<string> =>
    spSsoPage(await sp.accounts.get(accountId), view(res, extra));

  /**
   * Runs a form's change and shows the page with what happened. A refused one (bad input, metadata
   * that does not parse) leaves with the page to show its message on; an unknown account has no page.
   */
  const change = (apply: (req: Request) => Promise<string>) => async (req: Request, res: Response): Promise<void> => {
    // Read now: the error handler that renders the page runs outside this router, without its params.
    const accountId = String(req.params.id);
    const notice = await apply(req).catch(
      showAgain((err) => ssoPage(accountId, res, { error: `${err.message} (${err.code})` }), (err) => err.status < 500 && err.code !== 'SP_ACCOUNT_NOT_FOUND'),
    );
    res.type('html').send(await ssoPage(accountId, res, { notice }));
  };

  r.get('/', async (_req, res) => {
    res.type('html').send(spAccountsPage(await sp.accounts.list(), view(res)));
  });

  r.get('/accounts/:id/sso', async (req, res) => {
    res.type('html').send(await ssoPage(req.params.id, res));
  });

  r.post(
    '/accounts/:id/sso/idp-metadata',
    change(async (req) => {
      const source = text(req.body, 'source');
      const input = source === 'xml' ? { xml: text(req.body, 'xml') } : { url: text(req.body, 'url') };
      const { parsed } = await sp.accounts.importIdpMetadata(String(req.params.id), input);
      const warnings = parsed.warnings.length > 0 ? ` Warnings: ${parsed.warnings.join('; ')}` : '';
      return `Imported the metadata of ${parsed.entityId}.${warnings}`;
    }),
  );

  r.post(
    '/accounts/:id/sso/mapping',
    change(async (req) => {
      const choice = text(req.body, 'mapping');
      let emailMapping: EmailMapping;
      if (choice === 'nameid') emailMapping = { kind: 'nameid' };
      else if (choice === 'custom') emailMapping = { kind: 'custom', name: text(req.body, 'custom') };
      else if (choice.startsWith('attribute:')) emailMapping = { kind: 'attribute', name: choice.slice('attribute:'.length) };
      else throw new HarnessError('INPUT_INVALID', 'choose what to map the email from', { expected: 'an offered attribute, NameID or Custom', received: choice || 'nothing' });
      const saved = await sp.accounts.updateSso(String(req.params.id), { emailMapping });
      const unoffered = unofferedAttribute(emailMapping, saved.sso.idp?.attributes);
      const warning = unoffered === undefined ? '' : ` Warning: the imported IdP metadata does not offer ${unoffered}.`;
      return `Saved: the email comes from ${emailMapping.kind === 'nameid' ? 'the NameID' : `attribute ${emailMapping.name}`}.${warning}`;
    }),
  );

  r.post(
    '/accounts/:id/sso/settings',
    change(async (req) => {
      const on = (name: string): boolean => text(req.body, name) === 'on';
      const loginMode = text(req.body, 'loginMode');
      await sp.accounts.updateSso(String(req.params.id), {
        enabled: on('enabled'),
        singleLogout: on('singleLogout'),
        allowUnsolicited: on('allowUnsolicited'),
        ...(loginMode === 'sso-only' || loginMode === 'sso-or-password' ? { loginMode } : {}),
      });
      return 'Saved.';
    }),
  );

  r.get('/accounts/:id/users', async (req, res) => {
    const account = await sp.accounts.get(req.params.id);
    const users = (await sp.directory.list(account.id)).map(publicSpUser).sort((a, b) => a.email.localeCompare(b.email));
    res.type('html').send(spUsersPage(account, users, view(res)));
  });

  r.use(spScimAccessRouter(sp));
  r.use(spConsoleFormsRouter(sp, { view, ssoPage, maxUploadBytes: setup.maxUploadBytes }));

  return r;
}
