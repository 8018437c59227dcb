// createApp(): the Express application serving both sides (no listen; see src/server.ts).
import { randomBytes } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { resolveConfig, type HarnessConfigInput, type ResolvedConfig } from '../config.js';
import { HarnessError } from '../errors.js';
import { createHarnessContext, type HarnessContext } from '../harness-context.js';
import { requireAdminToken } from './admin-auth.js';
import { debugApiRouter } from './debug-routes.js';
import { errorHandler } from './error-handler.js';
import { idpApiRouter } from './idp-api.js';
import { idpRouter } from './idp-routes.js';
import { spApiRouter } from './sp-api.js';
import { oauthRouter } from './oauth-routes.js';
import { scimRouter } from './scim-routes.js';
import { spRouter } from './sp-routes.js';
import { STYLESHEET } from './views/html.js';
import { adminPages } from './admin-session.js';
import { debugPagesRouter } from './debug-pages.js';
import { spAdminRouter } from './sp-admin-routes.js';
import { idpAdminRouter } from './idp-admin-routes.js';

export type HarnessApp = Express & { harness: HarnessContext };

/** Security headers on every response; a fresh nonce for the one inline script (auto-post). */
const securityHeaders: RequestHandler = (_req, res, next) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals.nonce = nonce;
  res.set({
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-${nonce}'; form-action *; frame-ancestors 'none'; base-uri 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  next();
};

export async function createApp(input: HarnessConfigInput | ResolvedConfig = {}): Promise<HarnessApp> {
  const config = 'adminTokenGenerated' in input ? input : resolveConfig(input);
  const harness = await createHarnessContext(config);
  const app = express() as HarnessApp;
  app.harness = harness;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  // SCIM parses its own bodies (application/scim+json and JSON) so every error is a SCIM error body.
  app.use('/scim/v2', scimRouter(harness.sp, { log: config.log }));
  const limit = config.maxBodyBytes;
  app.use(express.json({ limit }));
  app.use(express.urlencoded({ extended: false, limit, parameterLimit: 100 }));
  app.use(express.text({ limit, type: ['application/xml', 'text/xml', 'application/samlmetadata+xml'] }));

  app.get('/assets/style.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(STYLESHEET);
  });
  app.get('/', (_req, res) => res.redirect(302, '/sp/login'));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  const admin = requireAdminToken(config.adminToken);
  app.use('/idp/api', admin, idpApiRouter(harness.idp));
  app.use('/sp/api', admin, spApiRouter(harness.sp));
  app.use('/debug/api', admin, debugApiRouter(harness.trace));
  const adminUi = adminPages(config.adminToken, harness.store, config.clock, config.baseUrl.startsWith('https:'));
  app.use('/admin', adminUi.router);
  app.use('/debug', adminUi.requireAdmin, adminUi.checkCsrf, debugPagesRouter(harness.trace, harness));
  app.use('/sp/admin', adminUi.requireAdmin, adminUi.checkCsrf, spAdminRouter(harness.sp));
  app.use('/idp/admin', adminUi.requireAdmin, adminUi.checkCsrf, idpAdminRouter(harness.idp));
  // The SP outbox page (a mail catcher) shows activation links: admins only.
  app.use('/sp/accounts', adminUi.requireAdmin);
  app.use('/idp', idpRouter(harness.idp, config.idpBaseUrl));
  app.use('/sp', spRouter(harness.sp, config.spBaseUrl));
  app.use('/restapi/oauth', oauthRouter(harness.sp, config.spBaseUrl));

  app.use((req, _res, next) => next(new HarnessError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler(config.log));
  return app;
}
