// The "SCIM provisioning access" page of an SP account under /sp/admin (admin session and CSRF
// checked by app.ts): register and delete OAuth clients, mint and revoke SCIM tokens, through the
// same domain calls as the JSON admin API.
import { Router, type Request, type Response } from 'express';
import type { DirectoryProvider } from '../sp/model.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import { csrfField } from './admin-session.js';
import { showAgain } from './error-view.js';
import { spScimAccessPage, type ScimAccessView, type ShownOnce } from './views/sp-scim-access-page.js';

const text = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

interface Outcome {
  notice: string;
  shownOnce?: ShownOnce;
}

export function spScimAccessRouter(sp: ServiceProvider): Router {
  const r = Router();

  const page = async (accountId: string, res: Response, extra: Partial<ScimAccessView> = {}): Promise<string> => {
    const account = await sp.accounts.get(accountId);
    const view: ScimAccessView = {
      csrf: csrfField(res),
      nowMs: sp.clock.now(),
      connection: { scimBaseUrl: sp.endpoints.scimUrl, authorizeUrl: sp.endpoints.oauthAuthorizeUrl, tokenUrl: sp.endpoints.oauthTokenUrl },
      clients: await sp.oauth.accountClients.list(accountId),
      tokens: await sp.scimTokens.list(accountId),
      ...extra,
    };
    return spScimAccessPage(account, view);
  };

  /**
   * Runs a form's change and shows the page with what happened. A refused one (bad input, a limit)
   * leaves with the page to show its message on; an unknown account has no page.
   */
  const change = (apply: (req: Request, accountId: string) => Promise<Outcome>) => async (req: Request, res: Response): Promise<void> => {
    // Read now: the error handler that renders the page runs outside this router, without its params.
    const accountId = String(req.params.id);
    const outcome = await apply(req, accountId).catch(
      showAgain((err) => page(accountId, res, { error: `${err.message} (${err.code})` }), (err) => err.status < 500 && err.code !== 'SP_ACCOUNT_NOT_FOUND'),
    );
    res.type('html').send(await page(accountId, res, outcome));
  };

  r.get('/accounts/:id/scim-access', async (req, res) => {
    res.type('html').send(await page(req.params.id, res));
  });

  r.post(
    '/accounts/:id/scim-access/oauth-clients',
    change(async (req, accountId) => {
      const redirectUris = text(req.body, 'redirectUris')
        .split(/\r?\n/)
        .map((u) => u.trim())
        .filter(Boolean);
      const client = await sp.oauth.accountClients.register(accountId, { name: text(req.body, 'name'), redirectUris });
      return {
        notice: `Registered the OAuth client ${client.name}.`,
        shownOnce: { kind: 'client', clientId: client.clientId, clientSecret: client.clientSecret, name: client.name },
      };
    }),
  );

  r.post(
    '/accounts/:id/scim-access/oauth-clients/delete',
    change(async (req, accountId) => {
      const clientId = text(req.body, 'clientId');
      await sp.oauth.accountClients.delete(accountId, clientId);
      return { notice: `Deleted the OAuth client ${clientId}: its tokens no longer work.` };
    }),
  );

  r.post(
    '/accounts/:id/scim-access/directory-provider',
    change(async (req, accountId) => {
      const account = await sp.accounts.updateScim(accountId, { directoryProvider: text(req.body, 'directoryProvider') as DirectoryProvider });
      return { notice: `Directory Provider is now ${account.scim.directoryProvider === 'scim' ? 'SCIM' : 'None'}.` };
    }),
  );

  r.post(
    '/accounts/:id/scim-access/tokens',
    change(async (req, accountId) => {
      const minted = await sp.scimTokens.mint(accountId, { name: text(req.body, 'name') });
      return { notice: `Minted the SCIM token ${minted.name}.`, shownOnce: { kind: 'token', token: minted.token, name: minted.name } };
    }),
  );

  r.post(
    '/accounts/:id/scim-access/tokens/revoke',
    change(async (req, accountId) => {
      const tokenId = text(req.body, 'tokenId');
      await sp.scimTokens.revoke(accountId, tokenId);
      return { notice: `Revoked the SCIM token ${tokenId}.` };
    }),
  );

  return r;
}
