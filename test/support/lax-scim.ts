// A careless SCIM server, audit-scim's negative control. Each flaw is one a real server has had
// with real clients, and can be switched on alone:
//   created200      answers 200 to a create instead of 201
//   caseSensitiveOps  knows "replace", refuses Entra's "Replace"
//   pathRequired    refuses a PATCH op without a path (Okta's and JumpCloud's activation)
//   stringBooleans  stores "False" as the string it was sent
//   noUniqueness    creates a second user with the same userName
//   noFilterPaths   refuses `emails[type eq "work"].value`
// Otherwise it is plain: bearer token, filter on userName/externalId, paging, DELETE.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const LAX_SCIM_FLAWS = ['created200', 'caseSensitiveOps', 'pathRequired', 'stringBooleans', 'noUniqueness', 'noFilterPaths'] as const;
export type LaxScimFlaw = (typeof LAX_SCIM_FLAWS)[number];

export interface LaxScim {
  url: string;
  token: string;
  users: Map<string, Record<string, unknown>>;
  /** Every request, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export async function startLaxScim(flaws: readonly LaxScimFlaw[] = LAX_SCIM_FLAWS): Promise<LaxScim> {
  const has = (f: LaxScimFlaw): boolean => flaws.includes(f);
  const token = `lax-${randomUUID()}`;
  const users = new Map<string, Record<string, unknown>>();
  const requests: string[] = [];

  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/scim+json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, scimType: string, detail: string): void => send(res, status, { schemas: [ERROR], status: String(status), scimType, detail });
  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  };
  const bool = (v: unknown): unknown => (has('stringBooleans') || typeof v !== 'string' ? v : v.toLowerCase() === 'true');

  const patchUser = (user: Record<string, unknown>, op: Record<string, unknown>): string | undefined => {
    const name = String(op.op);
    if (has('caseSensitiveOps') ? name !== 'replace' && name !== 'add' : !/^(replace|add)$/i.test(name)) return `unknown op ${name}`;
    if (typeof op.path !== 'string') {
      if (has('pathRequired')) return 'path is required';
      for (const [k, v] of Object.entries(op.value as Record<string, unknown>)) user[k] = k === 'active' ? bool(v) : v;
      return undefined;
    }
    if (op.path === 'active') user.active = bool(op.value);
    else if (op.path === 'userName') user.userName = op.value;
    else if (op.path === 'name.familyName') user.name = { ...(user.name as object), familyName: op.value };
    else if (op.path === 'emails[type eq "work"].value' && !has('noFilterPaths')) user.emails = [{ type: 'work', value: op.value, primary: true }];
    else return `unsupported path ${op.path}`;
    return undefined;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://lax');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, 'invalidToken', 'bad token');
      const path = url.pathname.replace(/^\/scim\/v2/, '');
      if (path === '/ServiceProviderConfig') return send(res, 200, { patch: { supported: true }, filter: { supported: true, maxResults: 100 } });
      if (path === '/Schemas') return send(res, 200, { schemas: [LIST], totalResults: 1, Resources: [{ id: 'urn:ietf:params:scim:schemas:core:2.0:User' }] });
      if (path === '/ResourceTypes') return send(res, 200, { schemas: [LIST], totalResults: 1, Resources: [{ name: 'User', endpoint: '/Users' }] });
      if (path === '/Users' && req.method === 'GET') {
        const m = /^(\w+) eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '');
        const all = [...users.values()].filter((u) => !m || String(u[m[1] ?? '']).toLowerCase() === (m[2] ?? '').toLowerCase());
        const start = Number(url.searchParams.get('startIndex') ?? 1);
        const count = Number(url.searchParams.get('count') ?? 100);
        const page = all.slice(start - 1, start - 1 + count);
        return send(res, 200, { schemas: [LIST], totalResults: all.length, startIndex: start, itemsPerPage: page.length, Resources: page });
      }
      if (path === '/Users' && req.method === 'POST') {
        const body = await readBody(req);
        if (!has('noUniqueness') && [...users.values()].some((u) => u.userName === body.userName)) return fail(res, 409, 'uniqueness', 'userName taken');
        const id = randomUUID();
        const user = { ...body, id, active: body.active === undefined ? true : bool(body.active) };
        users.set(id, user);
        return send(res, has('created200') ? 200 : 201, user);
      }
      const id = decodeURIComponent(/^\/Users\/(.+)$/.exec(path)?.[1] ?? '');
      const user = users.get(id);
      if (!user) return fail(res, 404, 'noTarget', `no user ${id}`);
      if (req.method === 'GET') return send(res, 200, user);
      if (req.method === 'DELETE') {
        users.delete(id);
        return send(res, 204);
      }
      if (req.method === 'PUT') {
        const body = await readBody(req);
        const next = { ...body, id, active: body.active === undefined ? user.active : bool(body.active) };
        users.set(id, next);
        return send(res, 200, next);
      }
      if (req.method === 'PATCH') {
        const ops = ((await readBody(req)).Operations ?? []) as Record<string, unknown>[];
        const copy = structuredClone(user);
        for (const op of ops) {
          const problem = patchUser(copy, op);
          if (problem) return fail(res, 400, 'invalidSyntax', problem);
        }
        users.set(id, copy);
        return send(res, 200, copy);
      }
      return fail(res, 405, 'invalidSyntax', 'method not allowed');
    })().catch(() => fail(res, 500, 'invalidSyntax', 'lax server error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    users,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
