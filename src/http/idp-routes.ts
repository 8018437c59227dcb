// The IdP's public side: per-application metadata and SSO service, login form, user portal.
import { Router, type Request, type Response } from 'express';
import { HarnessError } from '../errors.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import type { LogoutStep } from '../idp/logout.js';
import type { IdpSession, IssuedResponse, ReceivedRequest } from '../idp/sso-types.js';
import { isAssigned, type IdpApp } from '../idp/model.js';
import type { IncomingRequest } from '../idp/sso.js';
import { entraAppByAppId, entraAppForRequest, oktaAppByKey } from '../idp/vendor-lookup.js';
import { randomToken } from '../crypto/random-token.js';
import { cookieOptions, IDP_BROWSER_COOKIE, IDP_COOKIE, readCookie } from './cookies.js';
import { autoPostPage, idpLoggedOutPage, idpLoginPage, idpPortalPage } from './views/pages.js';
import { provisioningPath } from './views/idp-admin/okta-provisioning-pages.js';
import { idmVerifiedPage } from './views/idm-pages.js';
import { wantsJson } from './error-handler.js';
import { headed, showAgain } from './error-view.js';
import { formField } from './saml-form.js';

/** The SSO endpoints take the HTTP-Redirect (GET) and HTTP-POST bindings only. */
function onlyGetAndPost(req: Request, _res: Response, next: (err?: unknown) => void): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST') next();
  else next(new HarnessError('NOT_FOUND', `no route ${req.method} ${req.path}`));
}

function rawQuery(req: Request): string {
  const i = req.originalUrl.indexOf('?');
  return i < 0 ? '' : req.originalUrl.slice(i + 1);
}

export function idpRouter(idp: IdentityProvider, baseUrl: string): Router {
  const router = Router();
  const cookie = cookieOptions(baseUrl, '/idp');

  const currentSession = (req: Request): Promise<IdpSession | undefined> => idp.sso.getSession(readCookie(req, IDP_COOKIE));

  /**
   * The browser's own id (set when it first brings a login to park): a parked login is bound to
   * it, so only the browser the SP sent here can see its sign-in page and complete it.
   */
  const browserCookie = (req: Request, res: Response): string => {
    const existing = readCookie(req, IDP_BROWSER_COOKIE);
    if (existing && /^[\w-]{32}$/.test(existing)) return existing;
    const fresh = randomToken(24, 'base64url');
    res.cookie(IDP_BROWSER_COOKIE, fresh, cookie);
    return fresh;
  };

  /** Answers a login with the auto-posting form, or the "not authorized" page. */
  const answer = async (res: Response, issuing: Promise<IssuedResponse>): Promise<void> => {
    const issued = await issuing.catch(headed('You are not authorized for this application', (err) => err.code === 'IDP_NOT_AUTHORIZED'));
    res.type('html').send(autoPostPage(issued.acsUrl, { SAMLResponse: issued.samlResponse, RelayState: issued.relayState }, res.locals.nonce as string));
  };

  router.get('/apps/:app/metadata', async (req, res) => {
    const app = await idp.apps.get(req.params.app);
    res.type('application/samlmetadata+xml').send(await idp.apps.publishedMetadata(app));
  });

  /** A browser with a session is answered at once; otherwise the login waits for the sign-in page. */
  const sso = async (req: Request, res: Response, received: ReceivedRequest): Promise<void> => {
    if (received.kind === 'error-response') {
      // A genuine request the IdP cannot serve as asked: the SP gets a SAML error Response.
      const { acsUrl, samlResponse, relayState } = received.answer;
      res.type('html').send(autoPostPage(acsUrl, { SAMLResponse: samlResponse, RelayState: relayState }, res.locals.nonce as string));
      return;
    }
    const { pending } = received;
    const session = await currentSession(req);
    if (session && !pending.forceAuthn) {
      await answer(res, idp.sso.respond(received, session));
      return;
    }
    await idp.sso.park(pending, browserCookie(req, res));
    res.redirect(303, `/idp/login?pending=${encodeURIComponent(pending.key)}`);
  };

  /** The AuthnRequest as it arrived, in either binding. */
  const incoming = (req: Request): IncomingRequest => {
    if (req.method !== 'POST') return { binding: 'redirect', rawQuery: rawQuery(req) };
    const samlRequest = formField(req.body, 'SAMLRequest');
    if (!samlRequest) throw new HarnessError('SAML_MESSAGE_MISSING', 'the POST has no SAMLRequest field');
    const relayState = formField(req.body, 'RelayState');
    return { binding: 'post', samlRequest, ...(relayState !== undefined && { relayState }) };
  };

  /** Receives an AuthnRequest for the application, counted first against Okta's SSO rate limit when it has it on. */
  const receive = async (req: Request, res: Response, app: IdpApp, message: IncomingRequest): Promise<void> => {
    if (app.ssoRateLimit === true) res.set(idp.ssoRateLimit.take(app.id));
    await sso(req, res, await idp.sso.receiveRequest(app.id, message));
  };

  router.all('/apps/:app/sso', onlyGetAndPost, async (req, res) => {
    const message = incoming(req);
    await receive(req, res, await idp.apps.get(req.params.app as string), message);
  });

  // Okta's SSO URL shape: /app/{org}_{app}_{n}/{appKey}/sso/saml.
  router.all('/app/:name/:key/sso/saml', onlyGetAndPost, async (req, res) => {
    const message = incoming(req);
    await receive(req, res, await oktaAppByKey(idp.apps, req.params.key as string), message);
  });

  // Entra ID's per-tenant SAML endpoint: the AuthnRequest's Issuer picks the application.
  router.all('/entra/:tenant/saml2', onlyGetAndPost, async (req, res) => {
    const message = incoming(req);
    await receive(req, res, await entraAppForRequest(idp.apps, req.params.tenant as string, message), message);
  });

  // Entra ID's per-application federation metadata URL.
  router.get('/entra/:tenant/federationmetadata/2007-06/federationmetadata.xml', async (req, res) => {
    const appid = typeof req.query.appid === 'string' ? req.query.appid.slice(0, 100) : '';
    const app = await entraAppByAppId(idp.apps, req.params.tenant, appid);
    res.type('application/samlmetadata+xml').send(await idp.apps.publishedMetadata(app));
  });

  router.get('/login', async (req, res) => {
    const pendingKey = typeof req.query.pending === 'string' ? req.query.pending : undefined;
    const pending = pendingKey ? await idp.sso.getPending(pendingKey, readCookie(req, IDP_BROWSER_COOKIE)) : undefined;
    const app = pending ? await idp.apps.get(pending.appId) : undefined;
    res.type('html').send(
      idpLoginPage({
        ...(pendingKey && { pending: pendingKey }),
        ...(pending?.loginHint !== undefined && { login: pending.loginHint }),
        ...(app && { appLabel: app.displayLabel, scenarios: idp.scenarios.list(), scenario: await idp.scenarios.peek(app) }),
      }),
    );
  });

  router.post('/login', async (req, res) => {
    const login = formField(req.body, 'login') ?? '';
    const password = formField(req.body, 'password') ?? '';
    const pendingKey = formField(req.body, 'pending') || undefined;
    const scenario = formField(req.body, 'scenario') || undefined;
    // A parked login answers only in the browser that brought it: refused before any sign-in.
    if (pendingKey) await idp.sso.getPending(pendingKey, readCookie(req, IDP_BROWSER_COOKIE));
    const user = await idp.directory
      .authenticate(login, password)
      .catch(
        showAgain((err) =>
          idpLoginPage({ ...(pendingKey && { pending: pendingKey, scenarios: idp.scenarios.list() }), ...(scenario && { scenario }), error: err.message, login }),
        ),
      );
    const session = await idp.sso.startSession(user);
    res.cookie(IDP_COOKIE, session.id, cookie);
    if (pendingKey) {
      const browser = readCookie(req, IDP_BROWSER_COOKIE);
      await answer(res, idp.sso.respondToParked(pendingKey, session, { ...(scenario && { scenario }), ...(browser !== undefined && { browser }) }));
    } else {
      res.redirect(303, '/idp/portal');
    }
  });

  /** Where the SP sends the browser back after "Authorize": exchange the code, verify, say how it went. */
  router.get('/apps/:app/idm/callback', async (req, res) => {
    const param = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const app = await idp.apps.get(req.params.app);
    const state = await idp.provisioning
      .completeAuthorization(app.id, { code: param('code'), state: param('state'), error: param('error'), error_description: param('error_description') })
      .catch(headed('Identity Management authorization failed'));
    if (wantsJson(req)) res.json(state);
    else {
      const back = idp.flavorOf(app) === 'okta' ? { href: provisioningPath(app.id), label: 'Back to the Provisioning tab' } : { href: `/idp/admin/apps/${encodeURIComponent(app.id)}`, label: 'Back to the application' };
      res.type('html').send(idmVerifiedPage(app.displayLabel, state, back));
    }
  });

  /** Where a Single Logout goes next: on to an SP (redirect or auto-post), or the report page. */
  const logoutStep = (res: Response, step: LogoutStep): void => {
    if (step.kind === 'done') {
      res.clearCookie(IDP_COOKIE, cookie);
      res.type('html').send(idpLoggedOutPage(step.results));
    } else if (step.message.kind === 'redirect') {
      res.redirect(302, step.message.url);
    } else {
      res.type('html').send(autoPostPage(step.message.action, step.message.fields, res.locals.nonce as string, 'out'));
    }
  };

  /** Single Logout: an SP's LogoutRequest, or a participant's LogoutResponse, in either binding. */
  router.get('/apps/:app/slo', async (req, res) => {
    logoutStep(res, await idp.logout.receive(req.params.app, { binding: 'redirect', rawQuery: rawQuery(req) }, readCookie(req, IDP_COOKIE)));
  });
  router.post('/apps/:app/slo', async (req, res) => {
    const samlRequest = formField(req.body, 'SAMLRequest');
    const samlResponse = formField(req.body, 'SAMLResponse');
    const relayState = formField(req.body, 'RelayState');
    const incoming = {
      binding: 'post' as const,
      ...(samlRequest !== undefined && { samlRequest }),
      ...(samlResponse !== undefined && { samlResponse }),
      ...(relayState !== undefined && { relayState }),
    };
    logoutStep(res, await idp.logout.receive(req.params.app, incoming, readCookie(req, IDP_COOKIE)));
  });

  /** The portal's "Sign out": Single Logout of every application the session signed in to. */
  router.post('/logout', async (req, res) => {
    logoutStep(res, await idp.logout.logoutAtPortal(readCookie(req, IDP_COOKIE)));
  });

  router.get('/portal', async (req, res) => {
    const session = await currentSession(req);
    if (!session) {
      res.redirect(303, '/idp/login');
      return;
    }
    const user = await idp.directory.getUser(session.userId);
    const groups = await idp.directory.groupsOf(user.id);
    const apps = (await idp.apps.list()).filter((a) => a.ssoActive && isAssigned(a, user.id, groups));
    const tile = (a: (typeof apps)[number]) =>
      a.idpInitiated
        ? { label: a.displayLabel, launch: `/idp/portal/apps/${encodeURIComponent(a.id)}/launch` }
        : { label: a.displayLabel, ...(a.sp.loginUrl && { loginUrl: a.sp.loginUrl }) };
    res.type('html').send(idpPortalPage(user.email, apps.map(tile)));
  });

  /** A tile of an application set for IdP-initiated login: an unsolicited Response, auto-posted to the SP. */
  router.post('/portal/apps/:app/launch', async (req, res) => {
    const session = await currentSession(req);
    if (!session) {
      res.redirect(303, '/idp/login');
      return;
    }
    await answer(res, idp.sso.respondUnsolicited(req.params.app, session));
  });

  return router;
}
