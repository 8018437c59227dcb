// The Express application serving both sides of a built harness (no listen, no building: the
// composition root, src/harness/app.ts, builds the harness and hands it here).
import type { RequestListener } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { ResolvedConfig } from '../harness/config.js';
import { randomToken } from '../crypto/random-token.js';
import { HarnessError } from '../errors.js';
import { SAML_FORM_MAX_BODY_BYTES } from '../saml/encoding.js';
import { requireAdminToken } from './admin-auth.js';
import { samlForm } from './saml-form.js';
import { adminPages } from './admin-session.js';
import { errorHandler } from './error-handler.js';
import { idpRouter } from './idp-routes.js';
import { lazyRouter } from './lazy-router.js';
import { multipartForm } from './multipart-form.js';
import { spRouter } from './sp-routes.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import type { IdentityManagementPort } from '../idp/identity-management.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import { STYLESHEET } from './views/html.js';

/** Where either side receives SAML messages by the HTTP-POST binding. */
const SAML_FORM_PATHS = ['/sp/acs', '/sp/slo', '/idp/apps/:app/sso', '/idp/apps/:app/slo', '/idp/app/:name/:key/sso/saml', '/idp/entra/:tenant/saml2'];

/** What the routes serve: the two sides, the trace, and the store the admin sessions live in. */
export interface ServedHarness {
  store: Store;
  trace: TraceLog;
  idp: IdentityProvider;
  sp: ServiceProvider;
  provisioning: Pick<IdentityManagementPort, 'jobs'>;
}

// Route modules loaded on their first request: nothing a login needs, and each pulls in its own
// views and libraries (SCIM parsing, the trace viewer, the admin pages).
const routes = {
  scim: () => import('./scim-routes.js'),
  idpApi: () => import('./idp-api.js'),
  spApi: () => import('./sp-api.js'),
  debugApi: () => import('./debug-routes.js'),
  debugPages: () => import('./debug-pages.js'),
  spAdmin: () => import('./sp-admin-routes.js'),
  idpAdmin: () => import('./idp-admin-routes.js'),
  oauth: () => import('./oauth-routes.js'),
  openApi: () => import('./openapi-routes.js'),
};

/** Security headers on every response; a fresh nonce for the one inline script (auto-post). */
const securityHeaders: RequestHandler = (_req, res, next) => {
  const nonce = randomToken(16, 'base64');
  res.locals.nonce = nonce;
  res.set({
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-${nonce}'; form-action *; frame-ancestors 'none'; base-uri 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  next();
};

export function buildHttpApp(harness: ServedHarness, config: ResolvedConfig): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  // No automatic ETags: every page is dynamic and sent with Cache-Control: no-store, so hashing each
  // body bought nothing. SCIM sets its resource ETags (meta.version) itself.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  // SCIM parses its own bodies (application/scim+json and JSON) so every error is a SCIM error body.
  app.use('/scim/v2', lazyRouter(async () => (await routes.scim()).scimRouter(harness.sp, { log: config.log })));
  const limit = config.maxBodyBytes;
  app.use(express.json({ limit }));
  // The SAML binding endpoints take no one's word that they may be sent a large body: their form
  // is read only up to what the largest accepted message needs (BODY_TOO_LARGE past it, from
  // Content-Length before a byte is read), and decoded without a general-purpose parser's copies
  // (src/http/saml-form.ts), so refusing an outsider's largest form stays cheap.
  app.use(SAML_FORM_PATHS, samlForm(SAML_FORM_MAX_BODY_BYTES));
  const adminUi = adminPages(config.adminToken, harness.store, config.clock, config.baseUrl.startsWith('https:'));
  // The console's manual import posts one field per ticked SP user, up to the 10,000 the import
  // lists (provisioning/importer.ts MAX_LISTED), read only for a signed-in administrator; every
  // other form stays at 200 fields (the IdP console's Attributes form sends three per statement,
  // for up to 50).
  app.use('/idp/admin/apps/:id/idm/import', adminUi.requireAdmin, express.urlencoded({ extended: false, limit, parameterLimit: 10_002 }));
  app.use(express.urlencoded({ extended: false, limit, parameterLimit: 200 }));
  app.use(express.text({ limit, type: ['application/xml', 'text/xml', 'application/samlmetadata+xml'] }));

  app.get('/assets/style.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(STYLESHEET);
  });
  app.get('/', (_req, res) => res.redirect(302, '/sp/login'));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  const admin = requireAdminToken(config.adminToken);
  // The browser flows (/idp, /sp) are built now; the admin, SCIM, OAuth and debug routes load on
  // their first request, so start-up does not wait for modules a login never uses.
  app.use('/idp/api', admin, lazyRouter(async () => (await routes.idpApi()).idpApiRouter(harness.idp)));
  app.use('/sp/api', admin, lazyRouter(async () => (await routes.spApi()).spApiRouter(harness.sp)));
  app.use('/debug/api', admin, lazyRouter(async () => (await routes.debugApi()).debugApiRouter(harness.trace)));
  app.use('/admin', adminUi.router);
  const adminOnly = [adminUi.requireAdmin, adminUi.checkCsrf];
  app.use('/debug', adminOnly, lazyRouter(async () => (await routes.debugPages()).debugPagesRouter(harness.trace, harness)));
  app.use(
    '/sp/admin',
    // A file chooser's form (multipart) is read, bounded, before its CSRF field is checked.
    [adminUi.requireAdmin, multipartForm(limit), adminUi.checkCsrf],
    lazyRouter(async () => (await routes.spAdmin()).spAdminRouter(harness.sp, { idpBaseUrl: config.idpBaseUrl, maxUploadBytes: limit })),
  );
  app.use('/idp/admin', [adminUi.requireAdmin, multipartForm(limit), adminUi.checkCsrf], lazyRouter(async () => (await routes.idpAdmin()).idpAdminRouter(harness.idp)));
  // The SP outbox page (a mail catcher) shows activation links: admins only.
  app.use('/sp/accounts', adminUi.requireAdmin);
  app.use('/idp', idpRouter(harness.idp, config.idpBaseUrl));
  app.use('/sp', spRouter(harness.sp, config.spBaseUrl, config.sp.requestLifetimeSec));
  app.use('/restapi/oauth', lazyRouter(async () => (await routes.oauth()).oauthRouter(harness.sp, config.spBaseUrl)));
  // The description of the routes above needs no token: it holds no secret (see openapi-routes.ts).
  app.use('/api', lazyRouter(async () => (await routes.openApi()).openApiRouter(config)));

  app.use((req, _res, next) => next(new HarnessError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler(config.log));
  return app;
}
