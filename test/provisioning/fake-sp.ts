// A small in-memory SP for the provisioning client's unit tests, served as a `fetch`: the OAuth
// token endpoint (HTTP Basic, PKCE S256, refresh rotation) and SCIM Users, with canned failures
// and a log of every request. Not the harness's SP: just enough to pin the client's behaviour.
import { createHash, randomBytes } from 'node:crypto';

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The path and query exactly as sent. */
  target: string;
  headers: Record<string, string>;
  body: unknown;
}

interface CannedAnswer {
  match: (r: LoggedRequest) => boolean;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** The headers arrive, then the body stalls until the client's timeout fires (as fetch reports it). */
  bodyTimesOut?: boolean;
}

/** A 200 whose body sends a few bytes, then errors as fetch's body does when the request's timeout fires. */
const stalledBody = (status: number): Response =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"access_'));
      },
      pull(controller) {
        controller.error(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      },
    }),
    { status, headers: { 'content-type': 'application/json' } },
  );

export interface FakeUser {
  id: string;
  userName: string;
  active: boolean;
  resource: Record<string, unknown>;
}

export const FAKE_CLIENT = { clientId: 'sso-harness-idp', clientSecret: 'fake-client-secret-0123456789' };

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { ...(body !== undefined && { 'content-type': 'application/scim+json' }), ...headers },
  });

const scimError = (status: number, detail: string, scimType?: string): Response =>
  json(status, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType && { scimType }), detail });

export class FakeSp {
  readonly base = 'http://fake-sp.test';
  readonly requests: LoggedRequest[] = [];
  readonly users = new Map<string, FakeUser>();
  private readonly codes = new Map<string, string>();
  private readonly access = new Set<string>();
  private readonly refresh = new Set<string>();
  private readonly canned: CannedAnswer[] = [];
  accessTtlSec = 3600;
  private nextId = 1;

  /** Answers the next request matching `match` with this (once). */
  answerNext(match: (r: LoggedRequest) => boolean, status: number, opts: { headers?: Record<string, string>; body?: unknown; bodyTimesOut?: boolean } = {}): void {
    this.canned.push({ match, status, ...opts });
  }

  /** What the SP's authorize endpoint would do: a code bound to the request's PKCE challenge. */
  issueCode(authorizeUrl: string): { code: string; state: string } {
    const url = new URL(authorizeUrl);
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, url.searchParams.get('code_challenge') ?? '');
    return { code, state: url.searchParams.get('state') ?? '' };
  }

  /** SCIM requests only ("METHOD /path?query"), for sequence assertions. */
  scimCalls(): string[] {
    return this.requests.filter((r) => r.path.startsWith('/scim/v2')).map((r) => `${r.method} ${r.target.slice('/scim/v2'.length)}`);
  }

  seedUser(userName: string, extra: Record<string, unknown> = {}): FakeUser {
    const id = `u${this.nextId++}`;
    const user: FakeUser = { id, userName, active: true, resource: { userName, name: { givenName: 'Sp', familyName: 'Only' }, emails: [{ type: 'work', value: userName }], ...extra } };
    this.users.set(id, user);
    return user;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const raw = typeof init?.body === 'string' ? init.body : undefined;
    let body: unknown = raw;
    if (raw && headers['content-type']?.includes('json')) body = JSON.parse(raw);
    if (raw && headers['content-type']?.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
    const req: LoggedRequest = { method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams, target: url.pathname + url.search, headers, body };
    this.requests.push(req);
    const i = this.canned.findIndex((c) => c.match(req));
    if (i >= 0) {
      const [c] = this.canned.splice(i, 1);
      if (c!.bodyTimesOut) return stalledBody(c!.status);
      return json(c!.status, c!.body, c!.headers);
    }
    if (req.path === '/restapi/oauth/token') return this.token(req);
    if (!req.path.startsWith('/scim/v2/')) return json(404, { error: 'not found' });
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (!bearer || !this.access.has(bearer)) return scimError(401, 'invalid token');
    return this.scim(req);
  };

  private tokens(): Response {
    const access = randomBytes(8).toString('hex');
    const refresh = randomBytes(8).toString('hex');
    this.access.add(access);
    this.refresh.add(refresh);
    return new Response(
      JSON.stringify({ access_token: access, token_type: 'bearer', expires_in: this.accessTtlSec, refresh_token: refresh, refresh_token_expires_in: 604800 }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    );
  }

  /** Every access token issued so far stops working (as when they expire at the SP). */
  revokeAccessTokens(): void {
    this.access.clear();
  }

  private token(req: LoggedRequest): Response {
    const expected = `Basic ${Buffer.from(`${FAKE_CLIENT.clientId}:${FAKE_CLIENT.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return new Response(JSON.stringify({ error: 'invalid_client' }), { status: 401 });
    const form = req.body as Record<string, string>;
    if (form.grant_type === 'authorization_code') {
      const challenge = this.codes.get(form.code ?? '');
      this.codes.delete(form.code ?? '');
      const computed = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
      if (challenge === undefined || challenge !== computed) return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
      return this.tokens();
    }
    if (form.grant_type === 'refresh_token' && this.refresh.delete(form.refresh_token ?? '')) return this.tokens();
    return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
  }

  private view(u: FakeUser): Record<string, unknown> {
    return { ...u.resource, id: u.id, userName: u.userName, active: u.active, meta: { resourceType: 'User' } };
  }

  private scim(req: LoggedRequest): Response {
    const rest = req.path.slice('/scim/v2'.length);
    if (rest === '/ServiceProviderConfig') return json(200, { patch: { supported: true } });
    if (rest === '/Users' && req.method === 'GET') {
      const filter = /^userName eq "(.*)"$/.exec(req.query.get('filter') ?? '')?.[1];
      const all = [...this.users.values()].filter((u) => filter === undefined || u.userName.toLowerCase() === filter.toLowerCase());
      const start = Number(req.query.get('startIndex') ?? 1);
      const count = Number(req.query.get('count') ?? 100);
      const page = all.slice(start - 1, start - 1 + count);
      return json(200, { totalResults: all.length, startIndex: start, itemsPerPage: page.length, Resources: page.map((u) => this.view(u)) });
    }
    if (rest === '/Users' && req.method === 'POST') {
      const body = req.body as Record<string, unknown>;
      const userName = String(body.userName);
      if ([...this.users.values()].some((u) => u.userName === userName)) return scimError(409, 'duplicate email', 'uniqueness');
      const user = this.seedUser(userName, body);
      user.active = body.active !== false;
      return json(201, this.view(user));
    }
    const user = this.users.get(rest.replace(/^\/Users\//, ''));
    if (!user) return scimError(404, 'no such user');
    switch (req.method) {
      case 'GET':
        return json(200, this.view(user));
      case 'PUT': {
        const body = req.body as Record<string, unknown>;
        user.resource = body;
        user.active = body.active !== false;
        return json(200, this.view(user));
      }
      case 'PATCH': {
        const ops = ((req.body as { Operations?: { op: string; path?: string; value?: { active?: boolean } }[] }).Operations ?? []);
        for (const op of ops) if (op.path === undefined && typeof op.value?.active === 'boolean') user.active = op.value.active;
        return json(200, this.view(user));
      }
      case 'DELETE':
        if (!user.active) return scimError(400, 'deactivated users must be reactivated before they are deleted', 'mutability');
        this.users.delete(user.id);
        return new Response(null, { status: 204 });
      default:
        return scimError(405, 'method not allowed');
    }
  }
}
