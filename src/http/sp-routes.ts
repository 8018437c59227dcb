// The SP's public side: metadata, the SP-initiated login, the assertion consumer, password
// login, the landing page, the outbox page and the activation link.
import { Router, type Request, type Response } from 'express';
import { newLoginNonce } from '../crypto/login-binding.js';
import { HarnessError } from '../errors.js';
import type { SpLogoutStep } from '../sp/logout.js';
import type { Account } from '../sp/model.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import { clearLoginCookies, cookieOptions, readCookie, readLoginNonces, setLoginCookies, SP_COOKIE } from './cookies.js';
import { wantsJson } from './error-handler.js';
import { headed, showAgain } from './error-view.js';
import { redirectTo } from './redirect.js';
import { autoPostPage, spHomePage, spLoggedOutPage, spLoginPage, spPasswordPage } from './views/pages.js';
import { activatedPage, activationPage, outboxPage } from './views/sp-activation-pages.js';
import { formField } from './saml-form.js';

/** Where an unknown email is put right: the SP console's accounts, each with its Users page. */
const ADD_USER_FORWARD = { href: '/sp/admin', text: 'Open the SP console to add the user' };

function query(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function spRouter(sp: ServiceProvider, baseUrl: string, requestLifetimeSec: number): Router {
  const router = Router();
  const cookie = cookieOptions(baseUrl, '/sp');

  /** `?account=ID`: the account's own view (with its SingleLogoutService when Single Logout is on). */
  router.get('/metadata', async (req, res) => {
    const accountId = query(req, 'account');
    const account = accountId === undefined ? undefined : await sp.accounts.get(accountId);
    if (req.query.download !== undefined) res.attachment('sp-metadata.xml');
    res.type('application/samlmetadata+xml').send(sp.metadata(account));
  });

  /** Email → account → AuthnRequest; or the password form when the account has no SSO. */
  const startLogin = async (req: Request, res: Response, email: string | undefined): Promise<void> => {
    const accountId = query(req, 'account');
    const target = query(req, 'target');
    if (!email && !accountId) {
      res.type('html').send(spLoginPage());
      return;
    }
    const account: Account = email
      ? (await sp.login.accountForEmail(email).catch(showAgain((err) => spLoginPage({ error: `${err.message} (${err.code})`, email, ...(err.code === 'SP_LOGIN_EMAIL_UNKNOWN' && { forward: ADD_USER_FORWARD }) })))).account
      : await sp.accounts.get(accountId as string);
    if (!account.sso.enabled) {
      res.type('html').send(spPasswordPage({ ...(email && { email }) }));
      return;
    }
    // A browser keeps its nonce while a login is in progress: starting again (a second click,
    // another tab) does not strand the login already under way.
    const nonce = readLoginNonces(req)[0] ?? newLoginNonce();
    const start = await sp.login.start(account, nonce, target, email || undefined);
    setLoginCookies(res, baseUrl, nonce, requestLifetimeSec * 1000);
    if (start.kind === 'post') res.type('html').send(autoPostPage(start.url, start.fields, res.locals.nonce as string));
    else redirectTo(res, 302, start.url);
  };

  router.get('/login', (req, res) => startLogin(req, res, query(req, 'email')));
  router.post('/login', (req, res) => startLogin(req, res, formField(req.body, 'email')));

  router.get('/login/password', (req, res) => {
    res.type('html').send(spPasswordPage({ ...(query(req, 'email') && { email: query(req, 'email') }) }));
  });

  router.post('/login/password', async (req, res) => {
    const email = formField(req.body, 'email') ?? '';
    const session = await sp.login
      .passwordLogin(email, formField(req.body, 'password') ?? '')
      .catch(showAgain((err) => spPasswordPage({ error: err.message, email })));
    res.cookie(SP_COOKIE, session.id, cookie);
    res.redirect(303, '/sp/home');
  });

  router.post('/acs', async (req, res) => {
    const outcome = await sp.login
      .consume(formField(req.body, 'SAMLResponse'), formField(req.body, 'RelayState'), readLoginNonces(req))
      .catch(headed('Single sign-on failed'));
    res.cookie(SP_COOKIE, outcome.session.id, cookie);
    // The login it bound is done; a refused response leaves it, as it may belong to a login still in progress.
    if (outcome.result.assertion.request) clearLoginCookies(res, baseUrl);
    redirectTo(res, 303, outcome.target);
  });

  router.get('/home', async (req, res) => {
    const session = await sp.login.session(readCookie(req, SP_COOKIE));
    if (!session) throw new HarnessError('SP_NOT_SIGNED_IN', 'you are not signed in', { expected: 'a session cookie from /sp/login' });
    const account = await sp.accounts.get(session.accountId);
    if (wantsJson(req)) {
      res.json({ ...session, accountName: account.name });
      return;
    }
    res.type('html').send(spHomePage({ ...session, accountName: account.name }));
  });

  // A mail catcher: an account's outbox, like the inbox of every user it wrote to.
  router.get('/accounts/:id/outbox', async (req, res) => {
    const account = await sp.accounts.get(req.params.id);
    const messages = await sp.outbox.list(account.id);
    if (wantsJson(req)) res.json(messages);
    else res.type('html').send(outboxPage(account.name, messages));
  });

  /** The activation email's link: a form (optional password); posting it activates the user. */
  router.get('/activate/:token', async (req, res) => {
    const user = await sp.activation.pendingUser(req.params.token);
    const account = await sp.accounts.get(user.accountId);
    res.type('html').send(activationPage({ email: user.email, accountName: account.name, action: `/sp/activate/${encodeURIComponent(req.params.token)}` }));
  });

  router.post('/activate/:token', async (req, res) => {
    const token = req.params.token;
    const user = await sp.activation.activate(token, formField(req.body, 'password')).catch(
      showAgain(
        async (err) => {
          const pending = await sp.activation.pendingUser(token);
          const account = await sp.accounts.get(pending.accountId);
          return activationPage({ email: pending.email, accountName: account.name, action: `/sp/activate/${encodeURIComponent(token)}`, error: err.message });
        },
        // A refused password: the form again. A link that is no good has nothing to show again.
        (err) => err.code === 'INPUT_INVALID',
      ),
    );
    if (wantsJson(req)) res.json({ id: user.id, email: user.email, status: user.status });
    else res.type('html').send(activatedPage(user.email));
  });

  /** Where a Single Logout goes next: on to the IdP (redirect or auto-post), or the "signed out" page. */
  const logoutStep = (res: Response, step: SpLogoutStep): void => {
    if (step.kind === 'done') res.type('html').send(spLoggedOutPage(step.detail));
    else if (step.message.kind === 'redirect') res.redirect(302, step.message.url);
    else res.type('html').send(autoPostPage(step.message.action, step.message.fields, res.locals.nonce as string, 'out'));
  };

  /** Sign out: the local session ends; with Single Logout on, the IdP is asked to end its session too. */
  router.post('/logout', async (req, res) => {
    const step = await sp.logout.signOut(readCookie(req, SP_COOKIE));
    res.clearCookie(SP_COOKIE, cookie);
    logoutStep(res, step);
  });

  /** Single Logout endpoint: the IdP's LogoutRequest, or its LogoutResponse to ours, in either binding. */
  router.get('/slo', async (req, res) => {
    const i = req.originalUrl.indexOf('?');
    logoutStep(res, await sp.logout.receive({ binding: 'redirect', rawQuery: i < 0 ? '' : req.originalUrl.slice(i + 1) }));
  });
  router.post('/slo', async (req, res) => {
    const samlRequest = formField(req.body, 'SAMLRequest');
    const samlResponse = formField(req.body, 'SAMLResponse');
    const relayState = formField(req.body, 'RelayState');
    logoutStep(
      res,
      await sp.logout.receive({
        binding: 'post',
        ...(samlRequest !== undefined && { samlRequest }),
        ...(samlResponse !== undefined && { samlResponse }),
        ...(relayState !== undefined && { relayState }),
      }),
    );
  });

  return router;
}
