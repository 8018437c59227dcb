// One headless browser: a cookie jar, manual redirects, and the list of hops it made. The
// headless login and the SP audit walk the SAML browser flow with it.
import { CookieJar } from './cookie-jar.js';

export interface LoginHop {
  method: 'GET' | 'POST';
  url: string;
  status: number;
  location?: string;
}

export class BrowserSession {
  readonly hops: LoginHop[] = [];
  private readonly jar = new CookieJar();

  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  /** Takes over another browser's cookies whose names `keep` accepts (e.g. its IdP session only). */
  adoptCookies(from: BrowserSession, keep: (name: string) => boolean): void {
    this.jar.adopt(from.jar, keep);
  }

  /** One request as a browser sends it: its cookies, a form body when given, no redirect following. */
  async send(method: 'GET' | 'POST', url: string, form?: Record<string, string>, accept = 'text/html'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await this.fetchImpl(url, {
      method,
      headers,
      redirect: 'manual',
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    this.jar.store(url, res);
    const location = redirectTarget(res, url);
    this.hops.push({ method, url, status: res.status, ...(location && { location }) });
    return res;
  }
}

/** The absolute target of a redirect answer, if it is one. */
export function redirectTarget(res: Response, url: string): string | undefined {
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) return undefined;
  try {
    return new URL(location, url).toString();
  } catch {
    return undefined;
  }
}
