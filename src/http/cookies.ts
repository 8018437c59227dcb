// Session cookies: HttpOnly, SameSite=Lax, Secure on https origins. Values are opaque ids;
// the sessions themselves live server-side.
import type { CookieOptions, Request } from 'express';

export const IDP_COOKIE = 'sso_harness_idp';
/** Identifies the browser at the IdP, so a login parked for sign-in is completed by that browser only. */
export const IDP_BROWSER_COOKIE = 'sso_harness_idp_browser';
export const SP_COOKIE = 'sso_harness_sp';

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
