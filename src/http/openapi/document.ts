// The OpenAPI 3.1 document of the admin, SCIM and OAuth routes, assembled from the route groups
// (one file per router, one entry per route) and the schemas the routes validate with.
// To describe a new route: add its entry to the group of the router it is in.
import { ERROR_CODES } from '../../errors.js';
import { SCIM_TYPES } from '../../scim/errors.js';
import { SCIM_MESSAGE } from '../../scim-protocol/urn.js';
import { GRANTED_SCOPE } from '../../sp/oauth/authorize.js';
import { TOKEN_ERROR_CODES } from '../../sp/oauth/errors.js';
import { debugApiDoc, openApiDoc } from './debug-api-doc.js';
import { idpApiDoc } from './idp-api-doc.js';
import { oauthDoc } from './oauth-doc.js';
import { jsonSchemaOf, openApiPath, pathParams, type ErrorStyle, type JsonSchema, type NamedSchema, type RouteDoc, type RouteGroup } from './route-doc.js';
import { scimDoc } from './scim-doc.js';
import { spApiDoc } from './sp-api-doc.js';

/** Every described router, by mount point. */
export const ROUTE_GROUPS: readonly RouteGroup[] = [idpApiDoc, spApiDoc, debugApiDoc, scimDoc, oauthDoc, openApiDoc];

/** The media types express.text reads as XML (src/http/app.ts). */
const XML_MEDIA_TYPES = ['application/xml', 'text/xml', 'application/samlmetadata+xml'];

export interface DocumentOrigins {
  baseUrl: string;
  idpBaseUrl: string;
  spBaseUrl: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is not valid: the body names each field that is wrong and what it expected.',
  401: 'No valid credentials.',
  404: 'No such resource.',
  409: 'The current state refuses the change.',
  412: 'If-Match does not hold the current version.',
  429: 'Throttled (the account has rateLimits on): retry after Retry-After seconds.',
  502: 'A peer (metadata URL) could not be reached or answered badly.',
};

const harnessErrorBody: JsonSchema = {
  type: 'object',
  description: "The harness's error body: the code (docs/errors.md), what was wrong, what was expected, and the setting to change.",
  properties: {
    error: { enum: Object.keys(ERROR_CODES), description: 'The error code.' },
    message: { type: 'string' },
    title: { type: 'string', description: "The code's one-line meaning." },
    expected: { type: 'string' },
    received: { type: 'string' },
    fix: { type: 'object', properties: { side: { enum: ['idp', 'sp', 'harness'] }, setting: { type: 'string' } } },
    fields: { type: 'object', description: 'For INPUT_INVALID: each invalid field and what is wrong with it.', additionalProperties: true },
    retryAfterSec: { type: 'number' },
  },
  required: ['error', 'message', 'title'],
};

const scimFailureBody: JsonSchema = {
  type: 'object',
  description: 'RFC 7644 §3.12 error body.',
  properties: {
    schemas: { type: 'array', items: { const: SCIM_MESSAGE.error } },
    status: { type: 'string', description: 'The HTTP status, as a string.' },
    scimType: { enum: [...SCIM_TYPES] },
    detail: { type: 'string', description: 'What was wrong and what to change.' },
  },
  required: ['schemas', 'status'],
};

const oauthErrorBody: JsonSchema = {
  type: 'object',
  description: 'RFC 6749 §5.2 error body.',
  properties: { error: { enum: [...TOKEN_ERROR_CODES] }, error_description: { type: 'string' } },
  required: ['error'],
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const isNamed = (s: NamedSchema | JsonSchema): s is NamedSchema => typeof s.name === 'string' && 'schema' in s;
const header = (description: string) => ({ description, schema: { type: 'string' } });

class DocumentBuilder {
  readonly schemas: Record<string, JsonSchema> = { HarnessError: harnessErrorBody, ScimFailure: scimFailureBody, OAuthError: oauthErrorBody };
  private readonly sources = new Map<string, unknown>();

  /** A named schema goes to components once; the same name for another schema is a mistake. */
  schema(s: NamedSchema | JsonSchema): JsonSchema {
    if (!isNamed(s)) return s;
    const known = this.sources.get(s.name);
    if (known !== undefined && known !== s.schema) throw new Error(`two schemas are named ${s.name}`);
    if (known === undefined) {
      this.sources.set(s.name, s.schema);
      this.schemas[s.name] = jsonSchemaOf(s.schema);
    }
    return ref(s.name);
  }

  operation(group: RouteGroup, route: RouteDoc): Record<string, unknown> {
    const params = pathParams(route.path);
    const parameters: Record<string, unknown>[] = params.map((name) => {
      const description = route.params?.[name] ?? group.params[name];
      if (description === undefined) throw new Error(`${route.method.toUpperCase()} ${group.prefix}${route.path}: describe the path parameter :${name}`);
      return { name, in: 'path', required: true, description, schema: { type: 'string' } };
    });
    if (route.query) {
      const query = jsonSchemaOf(route.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, prop] of Object.entries(query.properties ?? {})) {
        const { description, ...schema } = prop;
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, ...(description !== undefined && { description }), schema });
      }
    }
    const style: ErrorStyle = route.errorsAs ?? group.errors;
    return {
      tags: [group.tag],
      operationId: `${route.method}${`${group.prefix}${route.path}`.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary,
      ...(route.description !== undefined && { description: route.description }),
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && { requestBody: this.requestBody(group, route) }),
      responses: { ...this.replies(group, route), ...this.errors(style, route, params.length > 0, route.public ? [] : group.security) },
      security: route.public ? [] : group.security,
    };
  }

  private requestBody(group: RouteGroup, route: RouteDoc): Record<string, unknown> {
    const body = route.body!;
    const schema = this.schema(body.schema);
    const types = body.form ? ['application/x-www-form-urlencoded'] : group.mediaType === 'application/json' ? ['application/json'] : [group.mediaType, 'application/json'];
    const content: Record<string, unknown> = Object.fromEntries(types.map((t) => [t, { schema }]));
    if (body.xml !== undefined) for (const t of XML_MEDIA_TYPES) content[t] = { schema: { type: 'string', description: body.xml } };
    return { required: body.required ?? true, content };
  }

  private replies(group: RouteGroup, route: RouteDoc): Record<string, unknown> {
    return Object.fromEntries(
      route.replies.map((r) => [
        String(r.status),
        {
          description: r.description,
          ...(r.headers && { headers: Object.fromEntries(Object.entries(r.headers).map(([name, d]) => [name, header(d)])) }),
          ...(r.schema && { content: { [r.mediaType ?? group.mediaType]: { schema: this.schema(r.schema) } } }),
        },
      ]),
    );
  }

  private errors(style: ErrorStyle, route: RouteDoc, hasParams: boolean, security: RouteGroup['security']): Record<string, unknown> {
    if (style === 'page') {
      return {
        default: {
          description: 'An error page saying what was wrong (the harness JSON error body when the request asks for application/json).',
          content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: ref('HarnessError') } },
        },
      };
    }
    if (style === 'oauth-token') {
      const body = { 'application/json': { schema: ref('OAuthError') } };
      return {
        400: { description: 'invalid_request, invalid_grant, unsupported_grant_type or invalid_scope.', content: body },
        401: { description: 'invalid_client: client authentication failed.', headers: { 'WWW-Authenticate': header('Basic realm="RingCentral"') }, content: body },
      };
    }
    const statuses = new Set<number>();
    if (security.length > 0) statuses.add(401);
    if (route.body || route.query) statuses.add(400);
    if (hasParams) statuses.add(404);
    for (const s of route.errors ?? []) statuses.add(s);
    const content = style === 'scim' ? { 'application/scim+json': { schema: ref('ScimFailure') } } : { 'application/json': { schema: ref('HarnessError') } };
    const out: Record<string, unknown> = {};
    for (const status of [...statuses].sort()) {
      const headers =
        status === 401
          ? { 'WWW-Authenticate': header(style === 'scim' ? 'Bearer realm="scim" (with error="invalid_token" for a bad token)' : 'Bearer realm="sso-harness admin"') }
          : status === 429
            ? { 'Retry-After': header('Seconds to wait.') }
            : undefined;
      const description = status === 401 && style === 'harness' ? 'ADMIN_TOKEN: no or a wrong admin token.' : (STATUS_TEXT[status] ?? 'Refused.');
      out[status] = { description, ...(headers && { headers }), content };
    }
    out.default = { description: 'Any other refusal, or an unexpected error (500, details only in the harness log).', content };
    return out;
  }
}

/** The document for a harness served at these origins (the IdP and SP may have their own). */
export function openApiDocument(origins: DocumentOrigins): Record<string, unknown> {
  const builder = new DocumentBuilder();
  const paths: Record<string, Record<string, unknown>> = {};
  const originOf = (prefix: string): string => (prefix.startsWith('/idp/') ? origins.idpBaseUrl : prefix === '/debug/api' || prefix === '/api' ? origins.baseUrl : origins.spBaseUrl);
  for (const group of ROUTE_GROUPS) {
    const origin = originOf(group.prefix);
    for (const route of group.routes) {
      const path = group.prefix + openApiPath(route.path);
      const item = (paths[path] ??= origin === origins.baseUrl ? {} : { servers: [{ url: origin }] });
      if (item[route.method]) throw new Error(`${route.method.toUpperCase()} ${path} is described twice`);
      item[route.method] = builder.operation(group, route);
    }
  }
  const token = `${origins.spBaseUrl}/restapi/oauth/token`;
  return {
    openapi: '3.1.0',
    info: {
      title: 'sso-harness admin, SCIM and OAuth API',
      version: '1',
      description:
        'The JSON admin APIs of the IdP (`/idp/api`), the SP (`/sp/api`) and the trace (`/debug/api`), behind the admin token; the SP\'s SCIM 2.0 API (`/scim/v2`) behind an OAuth access token; and the SP OAuth server (`/restapi/oauth`) that issues it. Errors: the harness JSON body (docs/errors.md), RFC 7644 bodies on SCIM, RFC 6749 bodies at the token endpoint.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: origins.baseUrl }],
    tags: ROUTE_GROUPS.map((g) => ({ name: g.tag, description: g.description })),
    paths,
    components: {
      schemas: builder.schemas,
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The admin token: the configured `adminToken` or `SSO_HARNESS_ADMIN_TOKEN`, else generated and printed at start.',
        },
        scimOAuth: {
          type: 'oauth2',
          description: 'An access token from the SP OAuth server, authorized by a User Admin or higher of the account (authorization code, PKCE S256), sent as `Authorization: Bearer`.',
          flows: {
            authorizationCode: {
              authorizationUrl: `${origins.spBaseUrl}/restapi/oauth/authorize`,
              tokenUrl: token,
              refreshUrl: token,
              scopes: { [GRANTED_SCOPE]: "Manage the account's users over SCIM." },
            },
          },
        },
        oauthClientBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'OAuth client authentication, `client_id:client_secret` (RFC 6749 §2.3.1); or client_id and client_secret in the form body.',
        },
      },
    },
  };
}
