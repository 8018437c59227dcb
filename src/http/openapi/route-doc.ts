// What one route says about itself in the OpenAPI document, and the JSON Schema of the zod
// schemas routes validate with (so the document cannot drift from what a route accepts).
import { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type JsonSchema = Record<string, unknown>;

/** A schema listed once under `components.schemas` by name: a zod schema a route parses with, or JSON Schema. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType | JsonSchema;
}

export interface BodyDoc {
  schema: NamedSchema;
  /** Also accepted as a raw XML document (express.text's XML media types). */
  xml?: string;
  /** Sent as an HTML form or an OAuth request: application/x-www-form-urlencoded instead of JSON. */
  form?: boolean;
  /** False when an empty body is fine (every field optional). Default true. */
  required?: boolean;
}

export interface ReplyDoc {
  status: number;
  description: string;
  /** The body; none for 204 and redirects. */
  schema?: NamedSchema | JsonSchema;
  /** Default: the group's media type. */
  mediaType?: string;
  headers?: Record<string, string>;
}

export interface RouteDoc {
  method: Method;
  /** Express syntax, under the group's prefix: `/apps/:app`. */
  path: string;
  summary: string;
  description?: string;
  body?: BodyDoc;
  /** The query parameters: the zod object the route parses `req.query` with, or a JSON Schema object. */
  query?: z.ZodObject | JsonSchema;
  /** Path parameter descriptions beyond the group's. */
  params?: Record<string, string>;
  replies: ReplyDoc[];
  /** Error statuses this route answers beyond the group's usual ones (409, 412…). */
  errors?: number[];
  /** Open to anyone, whatever the group's security. */
  public?: boolean;
  /** How this route's errors reach the client, when not as the group's do. */
  errorsAs?: ErrorStyle;
}

/** A route the router serves on purpose without a description: a catch-all that only refuses. */
export interface UndescribedRoute {
  method: Method | 'all';
  path: string;
  why: string;
}

export type ErrorStyle = 'harness' | 'scim' | 'oauth-token' | 'page';

export interface RouteGroup {
  /** Where app.ts mounts the router. */
  prefix: string;
  tag: string;
  description: string;
  /** The security requirement of every route but the `public` ones. */
  security: Record<string, string[]>[];
  /** Which error body the group answers with. */
  errors: ErrorStyle;
  /** The media type of bodies and answers. */
  mediaType: string;
  /** Path parameter descriptions shared by the group's routes. */
  params: Record<string, string>;
  routes: RouteDoc[];
  undescribed?: UndescribedRoute[];
}

const isZod = (s: unknown): s is z.ZodType => s instanceof z.ZodType;

/**
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) of what a client may send: defaults make a field
 * optional, refinements and transforms are not expressible and left out (the route still runs them).
 */
export function jsonSchemaOf(schema: z.ZodType | JsonSchema): JsonSchema {
  if (!isZod(schema)) return schema;
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** `/apps/:app/keys` → `/apps/{app}/keys`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

export function pathParams(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
}

/** Loose shapes for answers no schema validates (the domain's views). */
export const AN_OBJECT: JsonSchema = { type: 'object' };
export const A_LIST: JsonSchema = { type: 'array', items: { type: 'object' } };

export const ok = (description: string, schema: NamedSchema | JsonSchema = AN_OBJECT): ReplyDoc => ({ status: 200, description, schema });
export const created = (description: string, schema: NamedSchema | JsonSchema = AN_OBJECT): ReplyDoc => ({
  status: 201,
  description,
  schema,
  headers: { Location: 'The new resource.' },
});
export const noContent = (description: string): ReplyDoc => ({ status: 204, description });

/** What every admin API group shares: the admin token, the harness error body, JSON. */
export const ADMIN_API = { security: [{ adminToken: [] }], errors: 'harness', mediaType: 'application/json' } as const satisfies Pick<RouteGroup, 'security' | 'errors' | 'mediaType'>;
