// The SP's OAuth 2.0 authorization server at /restapi/oauth: authorize (sign-in, consent, role
// check), token and revoke. The flow's state lives server-side (src/sp/oauth/authorize.ts); the
// browser holds only an opaque cookie that binds it to its authorization requests.
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { AuthorizeStep, FormProof } from '../sp/oauth/authorize.js';
import { HarnessError } from '../errors.js';
import type { TokenRequest } from '../sp/oauth/token-endpoint.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import { cookieOptions, readCookie } from './cookies.js';
import { oauthErrorHandler } from './oauth-error-handler.js';
import { oauthConsentPage, oauthIdentifyPage, oauthNotAdminPage, oauthPasswordPage } from './views/oauth-pages.js';
import { formField } from './saml-form.js';

export const OAUTH_COOKIE = 'sso_harness_oauth';
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/;

function proof(req: Request): FormProof {
  return { requestId: formField(req.body, 'request'), csrfToken: formField(req.body, 'csrf_token'), browserKey: readCookie(req, OAUTH_COOKIE) };
}

function render(res: Response, step: AuthorizeStep, redirectStatus: 302 | 303): void {
  switch (step.kind) {
    case 'redirect':
      res.redirect(redirectStatus, step.url);
      return;
    case 'identify':
      res.status(step.error?.status ?? 200).type('html').send(oauthIdentifyPage(step));
      return;
    case 'password':
      res.status(step.error?.status ?? 200).type('html').send(oauthPasswordPage(step));
      return;
    case 'consent':
      res.type('html').send(oauthConsentPage(step));
      return;
    case 'not-admin':
      res.status(step.error.status).type('html').send(oauthNotAdminPage(step));
      return;
  }
}

function tokenRequest(req: Request): TokenRequest {
  return { formEncoded: Boolean(req.is('application/x-www-form-urlencoded')), body: req.body, authorization: req.get('authorization') };
}

export function oauthRouter(sp: ServiceProvider, baseUrl: string): Router {
  const router = Router();
  const cookie = cookieOptions(baseUrl, '/restapi/oauth');

  /** The browser's binding cookie: reused while it lives, so several tabs can authorize at once. */
  const browserKey = (req: Request, res: Response): string => {
    const existing = readCookie(req, OAUTH_COOKIE);
    if (existing !== undefined && BROWSER_KEY.test(existing)) return existing;
    const key = randomBytes(32).toString('base64url');
    res.cookie(OAUTH_COOKIE, key, cookie);
    return key;
  };

  router.get('/authorize', async (req, res) => {
    render(res, await sp.oauth.authorization.begin(req.query as Record<string, unknown>, browserKey(req, res)), 302);
  });

  router.post('/authorize/sign-in', async (req, res) => {
    const form = { login: formField(req.body, 'login'), extension: formField(req.body, 'extension'), password: formField(req.body, 'password') };
    render(res, await sp.oauth.authorization.signIn(proof(req), form), 303);
  });

  router.post('/authorize/consent', async (req, res) => {
    render(res, await sp.oauth.authorization.decide(proof(req), formField(req.body, 'decision')), 303);
  });

  router.post('/authorize/return', async (req, res) => {
    render(res, await sp.oauth.authorization.returnDenied(proof(req)), 303);
  });

  router.post('/token', async (req, res) => {
    res.set('Pragma', 'no-cache').json(await sp.oauth.tokenEndpoint.token(tokenRequest(req)));
  });

  router.post('/revoke', async (req, res) => {
    await sp.oauth.tokenEndpoint.revoke(tokenRequest(req));
    res.status(200).end();
  });

  for (const path of ['/token', '/revoke']) {
    router.all(path, () => {
      throw new HarnessError('OAUTH_METHOD_NOT_ALLOWED', `${path} takes POST only`);
    });
  }

  router.use(['/token', '/revoke'], oauthErrorHandler());
  return router;
}
