// The SP console's forms that make every SP step a click: create an account (name, plan), switch
// its plan, add a user to its directory, set the assertion checks, and upload IdP metadata from a
// file. Each goes through the same domain calls as the JSON admin API; a refused one comes back
// on its page with the message (the one error exit, through showAgain).
import { Router, type Request, type Response } from 'express';
import { HarnessError } from '../errors.js';
import { publicSpUser, type Account } from '../sp/model.js';
import { PLAN_LABELS, planOf, type SpPlan } from '../sp/plans.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import type { SsoSettingsInput, SpUserInput } from '../sp/inputs.js';
import { showAgain } from './error-view.js';
import type { MultipartBody } from './multipart-form.js';
import { spAccountsPage, spUsersPage, type SpAdminView } from './views/sp-admin-pages.js';
import { SECURITY_SWITCHES } from './views/sp-admin/sso-security-form.js';

/** What the console's pages show of this harness (see SpAdminView.setup). */
export interface SpConsoleSetup {
  idpBaseUrl: string;
  maxUploadBytes: number;
}

interface ConsolePages {
  view(res: Response, extra?: Partial<SpAdminView>): SpAdminView;
  ssoPage(accountId: string, res: Response, extra?: Partial<SpAdminView>): Promise<string>;
  maxUploadBytes: number;
}

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** A refusal the page can show: bad input or a state the account refuses, not an unknown account. */
const shownOnPage = (err: HarnessError): boolean => err.status < 500 && err.code !== 'SP_ACCOUNT_NOT_FOUND';
const withCode = (err: HarnessError): string => `${err.message} (${err.code})`;

function clockSkew(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) > 3600) {
    throw new HarnessError('INPUT_INVALID', 'the accepted clock skew must be a whole number of seconds from 0 to 3600', {
      expected: 'a whole number from 0 to 3600 (the default is 180)',
      received: value || 'nothing',
      fields: { clockSkewSec: 'a whole number of seconds, 0 to 3600' },
    });
  }
  return Number(value);
}

function newUser(body: unknown): SpUserInput {
  const optional = (name: string): string | undefined => field(body, name) || undefined;
  const role = field(body, 'role');
  const password = (body as Record<string, unknown> | undefined)?.password;
  return {
    email: field(body, 'email'),
    firstName: field(body, 'firstName'),
    lastName: field(body, 'lastName'),
    ...(optional('extension') !== undefined && { extension: optional('extension') }),
    ...((role === 'user' || role === 'user-admin' || role === 'super-admin') && { role }),
    ...(typeof password === 'string' && password !== '' && { password }),
  };
}

export function spConsoleFormsRouter(sp: ServiceProvider, pages: ConsolePages): Router {
  const r = Router();

  const ssoChange = (apply: (req: Request) => Promise<string>) => async (req: Request, res: Response): Promise<void> => {
    const accountId = String(req.params.id);
    const notice = await apply(req).catch(showAgain((err) => pages.ssoPage(accountId, res, { error: withCode(err) }), shownOnPage));
    res.type('html').send(await pages.ssoPage(accountId, res, { notice }));
  };

  const usersPage = async (account: Account, res: Response, extra: Partial<SpAdminView>): Promise<string> => {
    const users = (await sp.directory.list(account.id)).map(publicSpUser).sort((a, b) => a.email.localeCompare(b.email));
    return spUsersPage(account, users, pages.view(res, extra));
  };

  r.post('/accounts', async (req, res) => {
    const plan = field(req.body, 'plan');
    const account = await sp.accounts
      .create({ name: field(req.body, 'name'), ...(plan !== '' && { plan: plan as SpPlan }) })
      .catch(showAgain(async (err) => spAccountsPage(await sp.accounts.list(), pages.view(res, { error: withCode(err) }))));
    const notice = `Created account ${account.name} on the ${PLAN_LABELS[planOf(account)]} plan: set up its Single Sign-on and add its users.`;
    res.type('html').send(spAccountsPage(await sp.accounts.list(), pages.view(res, { notice })));
  });

  r.post(
    '/accounts/:id/plan',
    ssoChange(async (req) => {
      const plan = field(req.body, 'plan');
      const account = await sp.accounts.updateAccount(String(req.params.id), { plan: plan as SpPlan });
      return `Saved: the account is on the ${PLAN_LABELS[planOf(account)]} plan.`;
    }),
  );

  r.post(
    '/accounts/:id/sso/checks',
    ssoChange(async (req) => {
      const changes: SsoSettingsInput = { clockSkewSec: clockSkew(field(req.body, 'clockSkewSec')) };
      for (const s of SECURITY_SWITCHES) changes[s.name] = field(req.body, s.name) === 'on';
      await sp.accounts.updateSso(String(req.params.id), changes);
      return 'Saved the assertion checks.';
    }),
  );

  r.post(
    '/accounts/:id/sso/idp-metadata-file',
    ssoChange(async (req) => {
      const file = (req.body as MultipartBody | undefined)?.files?.file;
      if (!file || file.data.length === 0) {
        throw new HarnessError('INPUT_INVALID', 'choose the IdP metadata file to upload', {
          expected: 'an XML metadata file (a form sent as multipart/form-data)',
          received: file ? 'an empty file' : 'no file',
          fields: { file: 'required' },
        });
      }
      if (file.truncated) {
        throw new HarnessError('BODY_TOO_LARGE', `${file.filename || 'the file'} is larger than the ${Math.floor(pages.maxUploadBytes / 1024)} KiB the SP accepts`, {
          expected: 'an IdP metadata file (a few KiB)',
          received: 'a larger file',
        });
      }
      const { parsed } = await sp.accounts.importIdpMetadata(String(req.params.id), { xml: file.data.toString('utf8') });
      const warnings = parsed.warnings.length > 0 ? ` Warnings: ${parsed.warnings.join('; ')}` : '';
      return `Imported the metadata of ${parsed.entityId} from ${file.filename || 'the file'}.${warnings}`;
    }),
  );

  r.post('/accounts/:id/users', async (req, res) => {
    const account = await sp.accounts.get(String(req.params.id));
    const user = await sp.directory.create(account.id, newUser(req.body)).catch(showAgain((err) => usersPage(account, res, { error: withCode(err) }), shownOnPage));
    res.type('html').send(await usersPage(account, res, { notice: `Added ${user.email} (${user.role}${user.extension ? `, extension ${user.extension.number}` : ''}).` }));
  });

  return r;
}
