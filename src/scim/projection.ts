// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes a response
// carries. `id` and `schemas` are returned always; unknown names are ignored.
import { resolvePath, type ResolvedPath } from './attribute-path.js';
import { SCIM_SCHEMA } from '../scim-protocol/urn.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const resolveAll = (names: readonly string[]): ResolvedPath[] => names.map(resolvePath).filter((p): p is ResolvedPath => p !== undefined);

function pick(from: Json, to: Json, path: ResolvedPath): void {
  const source = path.extension ? from[SCIM_SCHEMA.enterpriseUser] : from;
  if (!isObject(source)) return;
  let target = to;
  if (path.extension) {
    target = isObject(to[SCIM_SCHEMA.enterpriseUser]) ? (to[SCIM_SCHEMA.enterpriseUser] as Json) : {};
    to[SCIM_SCHEMA.enterpriseUser] = target;
  }
  if (!path.attr) {
    Object.assign(target, source);
    return;
  }
  const value = source[path.attr.name];
  if (value === undefined) return;
  const sub = path.sub?.name;
  if (sub === undefined) target[path.attr.name] = value;
  else if (Array.isArray(value)) target[path.attr.name] = value.filter(isObject).map((e) => ({ [sub]: e[sub] }));
  else if (isObject(value)) target[path.attr.name] = { ...(isObject(target[path.attr.name]) ? (target[path.attr.name] as Json) : {}), [sub]: value[sub] };
}

function drop(res: Json, path: ResolvedPath): void {
  const c = path.extension ? res[SCIM_SCHEMA.enterpriseUser] : res;
  if (!isObject(c)) return;
  if (!path.attr) {
    delete res[SCIM_SCHEMA.enterpriseUser];
    return;
  }
  if (path.attr.returned === 'always') return;
  const sub = path.sub?.name;
  if (sub === undefined) delete c[path.attr.name];
  else for (const e of [c[path.attr.name]].flat()) if (isObject(e)) delete e[sub];
}

export function project(resource: Json, opts: { attributes?: readonly string[]; excludedAttributes?: readonly string[] }): Json {
  if (opts.attributes?.length) {
    const out: Json = { schemas: resource.schemas, id: resource.id };
    for (const path of resolveAll(opts.attributes)) pick(resource, out, path);
    return out;
  }
  if (opts.excludedAttributes?.length) {
    const out = structuredClone(resource);
    for (const path of resolveAll(opts.excludedAttributes)) drop(out, path);
    return out;
  }
  return resource;
}
