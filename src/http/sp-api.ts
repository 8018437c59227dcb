// The SP admin JSON API: accounts, their SSO and SCIM settings, IdP metadata import, users, the
// outbox (activation emails), and the credentials outside SCIM clients use (OAuth clients, static
// SCIM tokens).
import { Router } from 'express';
import type { ImportResult } from '../sp/accounts.js';
import { certificateSlotsView } from '../sp/idp-certificates.js';
import { publicSpUser, SCIM_RULES } from '../sp/model.js';
import type { ServiceProvider } from '../sp/service-provider.js';

function importView(result: ImportResult) {
  const p = result.parsed;
  return {
    account: result.account,
    parsed: {
      entityId: p.entityId,
      ssoServices: p.ssoServices,
      certificates: p.certificates.map((c) => ({ use: c.use, ...c.summary })),
      nameIdFormats: p.nameIdFormats,
      attributes: p.attributes,
      wantAuthnRequestsSigned: p.wantAuthnRequestsSigned,
      warnings: p.warnings,
    },
  };
}

export function spApiRouter(sp: ServiceProvider): Router {
  const r = Router();

  r.get('/metadata', (_req, res) => {
    res.json({ ...sp.endpoints, xml: sp.metadata() });
  });

  r.get('/accounts', async (_req, res) => {
    res.json(await sp.accounts.list());
  });
  r.post('/accounts', async (req, res) => {
    const account = await sp.accounts.create(req.body ?? {});
    res.status(201).location(`/sp/api/accounts/${account.id}`).json(account);
  });
  r.get('/accounts/:id', async (req, res) => {
    res.json(await sp.accounts.get(req.params.id));
  });
  /** The account's own settings: name and plan. */
  r.patch('/accounts/:id', async (req, res) => {
    res.json(await sp.accounts.updateAccount(req.params.id, req.body ?? {}));
  });
  r.delete('/accounts/:id', async (req, res) => {
    await sp.accounts.delete(req.params.id);
    res.status(204).end();
  });
  r.post('/accounts/:id/sso/idp-metadata', async (req, res) => {
    const body = typeof req.body === 'string' ? { xml: req.body } : (req.body ?? {});
    res.json(importView(await sp.accounts.importIdpMetadata(req.params.id, body)));
  });
  r.patch('/accounts/:id/sso', async (req, res) => {
    res.json(await sp.accounts.updateSso(req.params.id, req.body ?? {}));
  });
  /** The Primary and Secondary IdP certificates the account trusts, with expiry and fingerprints. */
  r.get('/accounts/:id/sso/idp-certificates', async (req, res) => {
    res.json(certificateSlotsView((await sp.accounts.get(req.params.id)).sso.idp, sp.clock.now()));
  });

  /** The RingCentral SCIM rules (each switchable), licence pools and rate limiting. */
  r.get('/accounts/:id/scim', async (req, res) => {
    res.json({ ...(await sp.accounts.get(req.params.id)).scim, ruleDescriptions: SCIM_RULES });
  });
  r.patch('/accounts/:id/scim', async (req, res) => {
    res.json({ ...(await sp.accounts.updateScim(req.params.id, req.body ?? {})).scim, ruleDescriptions: SCIM_RULES });
  });
  r.get('/accounts/:id/outbox', async (req, res) => {
    await sp.accounts.get(req.params.id);
    res.json(await sp.outbox.list(req.params.id));
  });

  /** Where an outside client connects: the same for every account, as at RingCentral (the token picks the account). */
  const connection = () => ({
    scimBaseUrl: sp.endpoints.scimUrl,
    authorizeUrl: sp.endpoints.oauthAuthorizeUrl,
    tokenUrl: sp.endpoints.oauthTokenUrl,
  });

  r.get('/accounts/:id/oauth-clients', async (req, res) => {
    res.json(await sp.oauth.accountClients.list(req.params.id));
  });
  /** The secret is in this answer only; the store keeps its hash. */
  r.post('/accounts/:id/oauth-clients', async (req, res) => {
    const client = await sp.oauth.accountClients.register(req.params.id, req.body ?? {});
    res
      .status(201)
      .location(`/sp/api/accounts/${req.params.id}/oauth-clients/${encodeURIComponent(client.clientId)}`)
      .json({ ...client, ...connection() });
  });
  r.delete('/accounts/:id/oauth-clients/:client', async (req, res) => {
    await sp.oauth.accountClients.delete(req.params.id, req.params.client);
    res.status(204).end();
  });

  r.get('/accounts/:id/scim-tokens', async (req, res) => {
    res.json(await sp.scimTokens.list(req.params.id));
  });
  /** The token is in this answer only; the store keeps its hash. */
  r.post('/accounts/:id/scim-tokens', async (req, res) => {
    const minted = await sp.scimTokens.mint(req.params.id, req.body ?? {});
    res.status(201).location(`/sp/api/accounts/${req.params.id}/scim-tokens/${minted.id}`).json({ ...minted, scimBaseUrl: sp.endpoints.scimUrl });
  });
  r.delete('/accounts/:id/scim-tokens/:token', async (req, res) => {
    await sp.scimTokens.revoke(req.params.id, req.params.token);
    res.status(204).end();
  });

  r.get('/accounts/:id/users', async (req, res) => {
    await sp.accounts.get(req.params.id);
    res.json((await sp.directory.list(req.params.id)).map(publicSpUser));
  });
  r.post('/accounts/:id/users', async (req, res) => {
    const user = await sp.directory.create(req.params.id, req.body ?? {});
    res.status(201).location(`/sp/api/accounts/${req.params.id}/users/${user.id}`).json(publicSpUser(user));
  });
  r.get('/accounts/:id/users/:user', async (req, res) => {
    res.json(publicSpUser(await sp.directory.get(req.params.id, req.params.user)));
  });
  r.patch('/accounts/:id/users/:user', async (req, res) => {
    res.json(publicSpUser(await sp.directory.update(req.params.id, req.params.user, req.body ?? {})));
  });
  r.delete('/accounts/:id/users/:user', async (req, res) => {
    await sp.directory.delete(req.params.id, req.params.user);
    res.status(204).end();
  });

  return r;
}
