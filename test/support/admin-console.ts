// An administrator signed in to the consoles (the admin session cookie), reading pages and posting
// their forms with the CSRF token the last page carried, as a browser does.
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN } from './harness.js';

export interface ConsoleSession {
  /** The admin session cookie (`name=value`). */
  cookie: string;
  /** GETs a page (expecting 200), keeping the CSRF token it carries. */
  get(path: string): Promise<request.Response>;
  /** The same, resolving to the page's HTML. */
  page(path: string): Promise<string>;
  /** POSTs a form with the CSRF token of the last page read. */
  post(path: string, form: Record<string, string | string[]>): request.Test;
  /** POSTs without the CSRF token, asking for JSON: what a forged form would send. */
  postWithoutCsrf(path: string, form: Record<string, string>): request.Test;
}

export async function signInToConsole(server: RunningHarness, next: string): Promise<ConsoleSession> {
  const login = await request(server.server).post('/admin/login').type('form').send({ token: ADMIN_TOKEN, next }).expect(303);
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  let csrf = '';
  const get = async (path: string): Promise<request.Response> => {
    const res = await request(server.server).get(path).set('cookie', cookie).expect(200);
    csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? csrf;
    return res;
  };
  return {
    cookie,
    get,
    page: async (path) => (await get(path)).text,
    post: (path, form) => request(server.server).post(path).set('cookie', cookie).type('form').send({ _csrf: csrf, ...form }),
    postWithoutCsrf: (path, form) => request(server.server).post(path).set('cookie', cookie).set('accept', 'application/json').type('form').send(form),
  };
}
