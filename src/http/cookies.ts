// Session cookies: HttpOnly, SameSite=Lax, Secure on https origins. Values are opaque ids;
// the sessions themselves live server-side. The SP's login-binding cookies are the exception
// (SameSite=None): see loginCookies.
import type { CookieOptions, Request, Response } from 'express';
import { isLoginNonce } from '../crypto/login-binding.js';

export const IDP_COOKIE = 'sso_harness_idp';
/** Identifies the browser at the IdP, so a login parked for sign-in is completed by that browser only. */
export const IDP_BROWSER_COOKIE = 'sso_harness_idp_browser';
export const SP_COOKIE = 'sso_harness_sp';
/** The login-binding nonce of a browser with an SP-initiated login in progress (see loginCookies). */
export const SP_LOGIN_COOKIE = 'sso_harness_sp_login';
/** The same nonce without SameSite, for browsers that refuse or drop the first cookie. */
export const SP_LOGIN_LEGACY_COOKIE = 'sso_harness_sp_login_legacy';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function cookieOptions(baseUrl: string, path: string): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: baseUrl.startsWith('https:'), path };
}

/**
 * The two cookies that carry a browser's login-binding nonce to the ACS. The IdP's response comes
 * back by a POST from the IdP's page; when the IdP is on another site, that POST is cross-site and
 * the browser sends only SameSite=None cookies with it, which it accepts only with Secure (an https
 * origin, or http://localhost, which Chrome and Firefox treat as secure). The second cookie, with
 * no SameSite attribute, is the fallback (as express-openid-connect's legacy cookie): browsers that
 * refuse SameSite=None (Safari 12 read it as Strict), and plain HTTP on another host, where the
 * Secure cookie is dropped; Firefox and Safari send it cross-site, Chrome only within two minutes
 * of setting it. The nonce only proves "the same browser": sending it cross-site is what it is for.
 */
function loginCookies(baseUrl: string, maxAgeMs: number): readonly [string, CookieOptions][] {
  const base: CookieOptions = { httpOnly: true, path: '/sp', maxAge: maxAgeMs };
  return [
    [SP_LOGIN_COOKIE, { ...base, sameSite: 'none', secure: true }],
    [SP_LOGIN_LEGACY_COOKIE, { ...base, secure: baseUrl.startsWith('https:') }],
  ];
}

/** The nonces the browser sent (the two cookies usually hold the same one); ill-formed values are ignored. */
export function readLoginNonces(req: Request): string[] {
  const values = [readCookie(req, SP_LOGIN_COOKIE), readCookie(req, SP_LOGIN_LEGACY_COOKIE)].filter(isLoginNonce);
  return [...new Set(values)];
}

export function setLoginCookies(res: Response, baseUrl: string, nonce: string, maxAgeMs: number): void {
  for (const [name, options] of loginCookies(baseUrl, maxAgeMs)) res.cookie(name, nonce, options);
}

export function clearLoginCookies(res: Response, baseUrl: string): void {
  for (const [name, { maxAge: _unused, ...options }] of loginCookies(baseUrl, 0)) res.clearCookie(name, options);
}
