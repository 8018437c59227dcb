// The RingCentral-like SCIM 2.0 API at /scim/v2: the bearer token is an access token from the
// SP's OAuth server or an account's static SCIM token, and it picks the account.
// Every failure, including an unexpected one, leaves through this router's own error handler
// (scim-error-handler.ts) as an RFC 7644 error body in application/scim+json.
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { HarnessError } from '../errors.js';
import * as discovery from '../scim/discovery.js';
import { badRequest, notFound } from '../scim/errors.js';
import { readListQuery, readSearchRequest, type ListQuery, type ListResponse } from '../scim/list-query.js';
import { project } from '../scim/projection.js';
import { ScimRateLimiter, type ThrottlingGroup } from '../scim/rate-limit.js';
import type { ScimUser } from '../scim/resource.js';
import { SCIM_MEDIA_TYPE } from '../scim-protocol/urn.js';
import { ScimUsers } from '../scim/users.js';
import type { Account } from '../sp/model.js';
import { SCIM_TOKEN_PREFIX } from '../sp/scim-tokens.js';
import type { ServiceProvider } from '../sp/service-provider.js';
import { scimFailureHandler } from './scim-error-handler.js';
import { assertPlanIncludes } from '../sp/plans.js';
import { assertDirectoryProviderAllows } from '../sp/directory-provider.js';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ScimRouterOptions {
  /** Where unexpected errors are logged (default: stderr). */
  log?: (line: string) => void;
}

interface ScimCaller {
  /** The account the token grants: every request works on its directory only. */
  account: Account;
}

const caller = (res: Response): ScimCaller => res.locals.scim as ScimCaller;

function send(res: Response, status: number, body: unknown, etag?: string): void {
  res.status(status).type(SCIM_MEDIA_TYPE);
  if (etag !== undefined) res.set('ETag', etag);
  res.send(JSON.stringify(body));
}

/**
 * No SCIM resource or request nests anywhere near this deep. JSON.parse takes any depth, but
 * deeper values overflow the stack of whatever walks them next (JSON.stringify, structuredClone).
 */
const MAX_BODY_DEPTH = 32;

function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The body of a write; a body in another media type never reached the JSON parser. */
function body(req: Request): unknown {
  if (req.body === undefined || !req.is(['application/json', SCIM_MEDIA_TYPE])) {
    throw new HarnessError('SCIM_MEDIA_TYPE', `send the body as JSON with Content-Type: ${SCIM_MEDIA_TYPE} (or application/json), not ${req.get('content-type') ?? 'no Content-Type'}`);
  }
  if (nestsDeeperThan(req.body, MAX_BODY_DEPTH)) {
    throw badRequest('invalidSyntax', `the request body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep; a SCIM User or PatchOp needs a few`);
  }
  return req.body;
}

const header = (req: Request, name: string): string | undefined => req.get(name) || undefined;

function authenticate(sp: ServiceProvider): RequestHandler {
  return async (req, res, next) => {
    const value = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1];
    const isStatic = token?.startsWith(SCIM_TOKEN_PREFIX) === true;
    const grant = token === undefined ? undefined : isStatic ? await sp.scimTokens.verify(token) : await sp.oauth.verifyAccessToken(token);
    const account = grant && (await sp.accounts.get(grant.accountId).catch(() => undefined));
    if (!grant || !account) {
      const detail = !value
        ? "SCIM requests need Authorization: Bearer <token>: an access token from the SP OAuth server (/restapi/oauth/token) or the account's SCIM token"
        : !grant
          ? isStatic
            ? "the SCIM token is unknown or revoked: mint a new one for the account (POST /sp/api/accounts/:id/scim-tokens or sso-harness scim-token)"
            : 'the bearer token is unknown, expired or revoked: get a new access token from /restapi/oauth/token'
          : "the token's SP account no longer exists";
      const challenge = value ? 'Bearer realm="scim", error="invalid_token"' : 'Bearer realm="scim"';
      next(new HarnessError('SCIM_UNAUTHORIZED', detail, { headers: { 'WWW-Authenticate': challenge } }));
      return;
    }
    try {
      assertPlanIncludes(account, 'identity-management');
      assertDirectoryProviderAllows(account, req.get('user-agent'));
    } catch (err) {
      next(err);
      return;
    }
    res.locals.scim = { account } satisfies ScimCaller;
    next();
  };
}

/** RingCentral's groups: reads are Light, writes Heavy, discovery is not throttled. */
function throttle(limiter: ScimRateLimiter): RequestHandler {
  return (req, res, next) => {
    const { account } = caller(res);
    if (!account.scim.rateLimits || !/^\/Users(\/|$)/i.test(req.path)) return next();
    const group: ThrottlingGroup = req.method === 'GET' || req.path === '/Users/.search' ? 'light' : 'heavy';
    limiter.take(account.id, group);
    next();
  };
}

function listBody(list: ListResponse<ScimUser>, query: ListQuery): ListResponse<Record<string, unknown>> {
  return list.Resources ? { ...list, Resources: list.Resources.map((r) => project(r, query)) } : list;
}

export function scimRouter(sp: ServiceProvider, opts: ScimRouterOptions = {}): Router {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scimUrl = sp.endpoints.scimUrl;
  const users = new ScimUsers({ directory: sp.directory, activation: sp.activation, scimUrl, nowMs: () => sp.clock.now() });
  const r = Router();
  r.use(express.json({ type: ['application/json', SCIM_MEDIA_TYPE], limit: MAX_BODY_BYTES }));
  r.get('/health', (_req, res) => send(res, 200, { status: 'ok' }));
  r.use(authenticate(sp));
  r.use(throttle(new ScimRateLimiter(sp.clock)));

  r.get('/Users', async (req, res) => {
    const query = readListQuery(req.query as Record<string, unknown>);
    send(res, 200, listBody(await users.list(caller(res).account.id, query), query));
  });
  r.post('/Users/.search', async (req, res) => {
    const query = readSearchRequest(body(req));
    send(res, 200, listBody(await users.list(caller(res).account.id, query), query));
  });
  r.post('/Users', async (req, res) => {
    const user = await users.create(caller(res).account.id, body(req));
    res.location(user.meta.location);
    send(res, 201, project(user, readListQuery(req.query as Record<string, unknown>)), user.meta.version);
  });
  r.get('/Users/:id', async (req, res) => {
    const user = await users.get(caller(res).account.id, req.params.id);
    // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"3" and "3" are the same version.
    const weak = (tag: string): string => tag.trim().replace(/^W\//, '');
    const ifNoneMatch = header(req, 'if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => weak(t) === weak(user.meta.version) || t.trim() === '*')) {
      res.status(304).set('ETag', user.meta.version).end();
      return;
    }
    send(res, 200, project(user, readListQuery(req.query as Record<string, unknown>)), user.meta.version);
  });
  r.put('/Users/:id', async (req, res) => {
    const user = await users.replace(caller(res).account.id, req.params.id, body(req), header(req, 'if-match'));
    send(res, 200, user, user.meta.version);
  });
  r.patch('/Users/:id', async (req, res) => {
    const user = await users.patch(caller(res).account.id, req.params.id, body(req), header(req, 'if-match'));
    send(res, 200, user, user.meta.version);
  });
  r.delete('/Users/:id', async (req, res) => {
    await users.delete(caller(res).account.id, req.params.id, header(req, 'if-match'));
    res.status(204).end();
  });

  r.get('/ServiceProviderConfig', (_req, res) => send(res, 200, discovery.serviceProviderConfig(scimUrl)));
  r.get('/ResourceTypes', (_req, res) => send(res, 200, discovery.resourceTypes(scimUrl)));
  r.get('/ResourceTypes/:id', (req, res) => send(res, 200, discovery.resourceType(scimUrl, req.params.id)));
  r.get('/Schemas', (_req, res) => send(res, 200, discovery.schemas(scimUrl)));
  r.get('/Schemas/:id', (req, res) => send(res, 200, discovery.schema(scimUrl, req.params.id)));
  r.all('/Groups{/*rest}', (_req, _res, next) => next(notFound("RingCentral's SCIM API has no Groups: /ResourceTypes lists User only")));
  r.all(['/Bulk', '/Me'], (req, _res, next) => next(new HarnessError('SCIM_NOT_IMPLEMENTED', `${req.path} is not implemented by this service provider (ServiceProviderConfig: bulk.supported false)`)));

  r.use((req, _res, next) => next(notFound(`no SCIM endpoint ${req.method} ${req.path}; see /ServiceProviderConfig, /ResourceTypes, /Schemas and /Users`)));
  r.use(scimFailureHandler(log));
  return r;
}
