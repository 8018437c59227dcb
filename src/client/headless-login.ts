// A headless SP-initiated login over HTTP, as a browser would do it: SP login page → redirect
// to the IdP → IdP login form → auto-posted SAMLResponse → SP ACS → landing page.
import { CookieJar } from './cookie-jar.js';

export interface LoginHop {
  method: 'GET' | 'POST';
  url: string;
  status: number;
  location?: string;
}

export interface HeadlessLoginOptions {
  /** The SP's base URL (where /sp/login lives). */
  spBaseUrl: string;
  email: string;
  password: string;
  /** Login name typed at the IdP (default: the email). */
  idpLogin?: string;
  fetch?: typeof fetch;
  maxHops?: number;
}

export interface HeadlessLoginResult {
  ok: boolean;
  hops: LoginHop[];
  /** The SP session as /sp/home reports it, when the login succeeded. */
  session?: Record<string, unknown>;
  /** The error the last hop answered with, when it failed. */
  error?: { status: number; code?: string; message?: string; body?: unknown };
}

interface AutoPostForm {
  action: string;
  fields: Record<string, string>;
}

const decodeEntities = (s: string): string =>
  s.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function readAutoPostForm(htmlText: string, baseUrl: string): AutoPostForm | undefined {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(htmlText);
  if (!form?.[1] || !form[2]) return undefined;
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"/gi)) {
    if (m[1] !== undefined && m[2] !== undefined) fields[decodeEntities(m[1])] = decodeEntities(m[2]);
  }
  if (!fields.SAMLResponse && !fields.SAMLRequest) return undefined;
  return { action: new URL(decodeEntities(form[1]), baseUrl).toString(), fields };
}

export async function headlessLogin(opts: HeadlessLoginOptions): Promise<HeadlessLoginResult> {
  const fetchImpl = opts.fetch ?? fetch;
  const jar = new CookieJar();
  const hops: LoginHop[] = [];
  const send = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetchImpl(url, {
      method,
      headers,
      redirect: 'manual',
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    jar.store(url, res);
    const location = res.headers.get('location') ?? undefined;
    hops.push({ method, url, status: res.status, ...(location && { location: new URL(location, url).toString() }) });
    return res;
  };
  const fail = async (res: Response): Promise<HeadlessLoginResult> => {
    const text = await res.text();
    const code = /<code>([A-Z_]+)<\/code>/.exec(text)?.[1];
    const message = /<\/code><\/strong>: ([^<]*)</.exec(text)?.[1];
    return { ok: false, hops, error: { status: res.status, ...(code && { code }), ...(message && { message: decodeEntities(message) }) } };
  };

  let url = `${opts.spBaseUrl.replace(/\/$/, '')}/sp/login?email=${encodeURIComponent(opts.email)}`;
  let res = await send('GET', url);
  let passwordSent = false;
  for (let i = 0; i < (opts.maxHops ?? 12); i++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      if (new URL(url).pathname === '/sp/home') {
        const home = await fetchImpl(url, { headers: { accept: 'application/json', cookie: jar.header(url) ?? '' } });
        hops.push({ method: 'GET', url, status: home.status });
        if (!home.ok) return fail(home);
        return { ok: true, hops, session: (await home.json()) as Record<string, unknown> };
      }
      res = await send('GET', url);
      continue;
    }
    if (res.status !== 200) return fail(res);
    const text = await res.text();
    const post = readAutoPostForm(text, url);
    if (post) {
      url = post.action;
      res = await send('POST', url, post.fields);
      continue;
    }
    const pending = /name="pending" value="([^"]*)"/.exec(text)?.[1];
    if (/action="\/idp\/login"/.test(text) && !passwordSent) {
      passwordSent = true;
      url = new URL('/idp/login', url).toString();
      res = await send('POST', url, {
        login: opts.idpLogin ?? opts.email,
        password: opts.password,
        ...(pending && { pending: decodeEntities(pending) }),
      });
      continue;
    }
    return { ok: false, hops, error: { status: res.status, message: 'the page is neither a redirect, a login form nor an auto-post form', body: text.slice(0, 300) } };
  }
  return { ok: false, hops, error: { status: 0, message: 'too many hops' } };
}
