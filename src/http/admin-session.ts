// The admin pages' sign-in: the admin token typed once into /admin/login gives a server-side
// session (HttpOnly, SameSite=Strict cookie); every admin page needs it, and every state-changing
// admin form carries the session's CSRF token, checked in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Clock } from '../clock.js';
import { HarnessError } from '../errors.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { Store } from '../store/types.js';
import { readCookie } from './cookies.js';
import { html, page, type SafeHtml } from './views/html.js';

export const ADMIN_COOKIE = 'sso_harness_admin';
const SESSION_LIFETIME_MS = 8 * 3600_000;

interface AdminSession {
  csrf: string;
}

const ADMIN_SESSIONS = expiringMap<{ csrf: string }>(MAP.adminSessions);

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** Only a path on this origin may be the place to go back to after signing in. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/debug';
}

function loginPage(next: string, error?: string): string {
  return page(
    'Admin sign-in',
    html`<h1>Admin sign-in</h1>${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p>The admin pages need the admin token that <code>sso-harness start</code> printed (or <code>SSO_HARNESS_ADMIN_TOKEN</code>).</p>
<form method="post" action="/admin/login"><input type="hidden" name="next" value="${next}">
<label for="admin-token">Admin token</label><input id="admin-token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
    { side: 'debug' },
  );
}

export interface AdminPages {
  /** /admin/login and /admin/logout. */
  router: Router;
  /** Admin pages: a signed-in admin, else a redirect to the sign-in page (401 JSON for API clients). */
  requireAdmin: RequestHandler;
  /** For POST forms under requireAdmin: the `_csrf` field must be the session's token. */
  checkCsrf: RequestHandler;
}

/** The hidden field every admin form carries (the token is in `res.locals.csrf` under requireAdmin). */
export function csrfField(res: Response): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${String(res.locals.csrf ?? '')}">`;
}

export function adminPages(adminToken: string, store: Store, clock: Clock, cookieSecure: boolean): AdminPages {
  const sessions = store.expiring(ADMIN_SESSIONS);
  const cookie = { httpOnly: true, sameSite: 'strict' as const, secure: cookieSecure, path: '/' };
  const router = Router();

  router.get('/login', (req, res) => {
    res.type('html').send(loginPage(safeNext(req.query.next)));
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const token = typeof body.token === 'string' ? body.token : '';
    if (!sameSecret(token, adminToken)) {
      res.status(401).type('html').send(loginPage(next, 'That is not the admin token.'));
      return;
    }
    const id = randomBytes(24).toString('base64url');
    await sessions.set(id, { csrf: randomBytes(24).toString('base64url') }, clock.now() + SESSION_LIFETIME_MS);
    res.cookie(ADMIN_COOKIE, id, { ...cookie, maxAge: SESSION_LIFETIME_MS });
    res.redirect(303, next);
  });

  const requireAdmin: RequestHandler = async (req, res, next) => {
    try {
      const id = readCookie(req, ADMIN_COOKIE);
      const session = id ? await sessions.get(id, clock.now()) : undefined;
      if (!session) {
        if (req.accepts(['html', 'json']) === 'json') {
          next(new HarnessError('ADMIN_TOKEN', 'the admin pages need a signed-in admin', { expected: 'sign in at /admin/login with the admin token', received: 'no admin session' }));
          return;
        }
        res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      res.locals.csrf = session.csrf;
      res.locals.adminSessionId = id;
      next();
    } catch (err) {
      next(err);
    }
  };

  const checkCsrf: RequestHandler = (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    const expected = String(res.locals.csrf ?? '');
    if (typeof sent !== 'string' || expected === '' || !sameSecret(sent, expected)) {
      next(new HarnessError('CSRF_TOKEN', 'this form has no valid CSRF token (it did not come from an admin page of this session)', {
        expected: 'the _csrf field of a form this harness rendered',
        received: typeof sent === 'string' ? 'another token' : 'none',
      }));
      return;
    }
    next();
  };

  router.post('/logout', requireAdmin, checkCsrf, async (_req: Request, res: Response) => {
    await sessions.delete(String(res.locals.adminSessionId));
    res.clearCookie(ADMIN_COOKIE, cookie);
    res.redirect(303, '/admin/login');
  });

  return { router, requireAdmin, checkCsrf };
}
