// PATCH (RFC 7644 §3.5.2) on a SCIM User resource: add / remove / replace, op names
// case-insensitive (Entra sends "Replace"), path-less ops (Okta's `{"op":"replace","value":
// {"active":false}}`), value paths such as `emails[type eq "work"].value`, and `null` or ""
// clearing an attribute. Operations apply to a copy, so a failing one leaves nothing applied.
import { resolvePath, resolveSubPath, type ResolvedPath } from './attribute-path.js';
import { badRequest } from './errors.js';
import { compileElementFilter, equalitiesOf } from './filter.js';
import { findAttribute, type AttributeDef } from './schema.js';
import { SCIM_MESSAGE, SCIM_SCHEMA } from '../scim-protocol/urn.js';

type Json = Record<string, unknown>;

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

interface Target {
  resolved: ResolvedPath;
  /** Set for a value path (`emails[type eq "work"]`). */
  filter?: { text: string; test: (element: Json) => boolean };
  /** The sub-attribute after a value filter (`.value`). */
  after?: AttributeDef;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const clearing = (v: unknown): boolean => v === null || v === '';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function field(obj: Json, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** Checks a PatchOp body and returns its operations. */
export function readPatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'the PATCH body must be a JSON object with schemas and Operations');
  const schemas = field(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM_MESSAGE.patchOp.toLowerCase())) {
    throw badRequest('invalidSyntax', `a PATCH body needs "schemas": ["${SCIM_MESSAGE.patchOp}"]`);
  }
  const ops = field(body, 'Operations');
  if (!Array.isArray(ops) || ops.length === 0) throw badRequest('invalidSyntax', 'a PATCH body needs a non-empty "Operations" list');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw badRequest('invalidSyntax', `Operations[${i}] must be an object with op, path and value`);
    const op = field(raw, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : undefined;
    if (name !== 'add' && name !== 'remove' && name !== 'replace') {
      throw badRequest('invalidSyntax', `Operations[${i}].op must be add, remove or replace, not ${JSON.stringify(op)}`);
    }
    const path = field(raw, 'path');
    if (path !== undefined && (typeof path !== 'string' || path.trim() === '')) throw badRequest('invalidPath', `Operations[${i}].path must be a non-empty string`);
    const value = field(raw, 'value');
    if (name === 'remove' && path === undefined) {
      throw badRequest('noTarget', `Operations[${i}]: remove needs a path (e.g. "path": "phoneNumbers[type eq \\"mobile\\"]")`);
    }
    if (name !== 'remove' && value === undefined) throw badRequest('invalidValue', `Operations[${i}]: ${name} needs a value`);
    if (name !== 'remove' && path === undefined && !isObject(value)) {
      throw badRequest('invalidValue', `Operations[${i}]: ${name} without a path needs an object value, e.g. {"active": false}`);
    }
    return { op: name, ...(path !== undefined && { path: path.trim() }), ...(value !== undefined && { value }) };
  });
}

/** Splits `attr[filter].sub` and resolves it; undefined when the attribute is unknown. */
function parseTarget(path: string): Target | undefined {
  const open = path.indexOf('[');
  if (open < 0) {
    const resolved = resolvePath(path);
    return resolved && { resolved };
  }
  const close = path.lastIndexOf(']');
  const rest = path.slice(close + 1);
  if (close < open || (rest !== '' && !/^\.[A-Za-z][\w-]*$/.test(rest))) {
    throw badRequest('invalidPath', `${JSON.stringify(path)} is not a SCIM path; e.g. emails[type eq "work"].value`);
  }
  const resolved = resolvePath(path.slice(0, open));
  if (!resolved) return undefined;
  const attr = resolved.attr;
  if (!attr?.multiValued || attr.type !== 'complex' || resolved.sub) {
    throw badRequest('invalidPath', `${JSON.stringify(path)}: a [filter] applies to a multi-valued attribute (emails, phoneNumbers, addresses)`);
  }
  const text = path.slice(open + 1, close);
  const after = rest === '' ? undefined : resolveSubPath(attr, rest.slice(1));
  if (rest !== '' && !after) throw badRequest('invalidPath', `${attr.name} has no sub-attribute ${rest.slice(1)}`);
  return { resolved, filter: { text, test: compileElementFilter(text, attr) }, ...(after && { after }) };
}

/** Applies the operations to a copy of `resource`; unknown attributes are skipped or refused. */
export function applyPatch(resource: Json, ops: readonly PatchOperation[], opts: { ignoreUnknown: boolean }): Json {
  const res = structuredClone(resource);
  for (const op of ops) {
    if (op.path === undefined) {
      for (const [key, value] of Object.entries(op.value as Json)) applyPathless(res, op.op, key, value, opts);
    } else {
      const target = parseTarget(op.path);
      if (!target) unknownPath(op.path, opts);
      else applyTo(res, op.op, target, op.value);
    }
  }
  return res;
}

function unknownPath(path: string, opts: { ignoreUnknown: boolean }): void {
  if (opts.ignoreUnknown) return;
  throw badRequest('invalidPath', `${path} is not an attribute this API stores (rule ignoreExtraAttributes is off; switch it on to ignore it)`);
}

function applyPathless(res: Json, op: 'add' | 'replace' | 'remove', key: string, value: unknown, opts: { ignoreUnknown: boolean }): void {
  const resolved = resolvePath(key);
  if (resolved && !resolved.attr) {
    // {"urn:…:enterprise:2.0:User": {"department": "…"}}: each member is a path of its own.
    if (!isObject(value)) throw badRequest('invalidValue', `${key} must be an object`);
    for (const [sub, v] of Object.entries(value)) applyPathless(res, op, `${SCIM_SCHEMA.enterpriseUser}:${sub}`, v, opts);
    return;
  }
  if (!resolved) return unknownPath(key, opts);
  const def = resolved.sub ?? resolved.attr;
  // Okta and Entra echo id, schemas or meta back unchanged; only a change is an error.
  if (def?.mutability === 'readOnly' && same(read(res, resolved), value)) return;
  applyTo(res, op, { resolved }, value);
}

function read(res: Json, r: ResolvedPath): unknown {
  const c = r.extension ? res[SCIM_SCHEMA.enterpriseUser] : res;
  if (!isObject(c) || !r.attr) return c;
  const v = c[r.attr.name];
  return r.sub && isObject(v) ? v[r.sub.name] : v;
}

function container(res: Json, r: ResolvedPath, create: boolean): Json | undefined {
  if (!r.extension) return res;
  const ext = res[SCIM_SCHEMA.enterpriseUser];
  if (isObject(ext)) return ext;
  if (!create) return undefined;
  const made: Json = {};
  res[SCIM_SCHEMA.enterpriseUser] = made;
  return made;
}

/** Object keys renamed to the schema's spelling (`GivenName` → `givenName`). */
function canonical(attr: AttributeDef, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(attr, v));
  if (!isObject(value) || !attr.subAttributes) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [findAttribute(attr.subAttributes ?? [], k)?.name ?? k, v]));
}

function applyTo(res: Json, op: 'add' | 'replace' | 'remove', target: Target, value: unknown): void {
  const { resolved, filter, after } = target;
  const attr = resolved.attr;
  const def = after ?? resolved.sub ?? attr;
  if (attr?.mutability === 'readOnly' || def?.mutability === 'readOnly') {
    throw badRequest('mutability', `${def?.name ?? attr?.name} is read-only and cannot be changed`);
  }
  if (!attr) {
    // The extension object itself.
    if (op === 'remove' || clearing(value)) delete res[SCIM_SCHEMA.enterpriseUser];
    else if (!isObject(value)) throw badRequest('invalidValue', `${SCIM_SCHEMA.enterpriseUser} must be an object`);
    else for (const [k, v] of Object.entries(value)) applyPathless(res, op, `${SCIM_SCHEMA.enterpriseUser}:${k}`, v, { ignoreUnknown: true });
    return;
  }
  const c = container(res, resolved, op !== 'remove') as Json | undefined;
  if (!c) return;
  if (filter) return applyFiltered(c, op, attr, filter, after, value);
  const remove = op === 'remove' || clearing(value);
  if (resolved.sub) {
    const sub = resolved.sub.name;
    const current = c[attr.name];
    if (attr.multiValued) {
      const list = Array.isArray(current) ? (current as Json[]) : [];
      if (remove) list.forEach((e) => delete e[sub]);
      else if (list.length === 0) c[attr.name] = [{ [sub]: value }];
      else list.forEach((e) => (e[sub] = value));
    } else if (remove) {
      if (isObject(current)) delete current[sub];
    } else {
      c[attr.name] = { ...(isObject(current) ? current : {}), [sub]: value };
    }
    return;
  }
  if (remove) {
    delete c[attr.name];
  } else if (attr.multiValued) {
    const items = (Array.isArray(value) ? value : [value]).map((v) => canonical(attr, v));
    const existing = op === 'add' && Array.isArray(c[attr.name]) ? (c[attr.name] as unknown[]) : [];
    c[attr.name] = [...existing, ...items.filter((v) => !existing.some((e) => same(e, v)))];
  } else if (attr.type === 'complex') {
    if (!isObject(value)) throw badRequest('invalidValue', `${attr.name} must be an object`);
    c[attr.name] = { ...(isObject(c[attr.name]) ? (c[attr.name] as Json) : {}), ...(canonical(attr, value) as Json) };
  } else {
    c[attr.name] = value;
  }
}

function applyFiltered(
  c: Json,
  op: 'add' | 'replace' | 'remove',
  attr: AttributeDef,
  filter: NonNullable<Target['filter']>,
  after: AttributeDef | undefined,
  value: unknown,
): void {
  const list = Array.isArray(c[attr.name]) ? (c[attr.name] as unknown[]).filter(isObject) : [];
  const matches = list.filter((e) => filter.test(e));
  const where = `${attr.name}[${filter.text}]`;
  if (matches.length === 0) {
    // Entra adds a typed value this way (`emails[type eq "work"].value`): create the element the filter describes.
    const pinned = op === 'add' ? equalitiesOf(filter.text, attr) : undefined;
    if (!pinned) throw badRequest('noTarget', `${where} matches no value of ${attr.name}`);
    if (clearing(value)) return;
    const element = after ? { ...pinned, [after.name]: value } : { ...pinned, ...(isObject(value) ? (canonical(attr, value) as Json) : {}) };
    c[attr.name] = [...list, element];
    return;
  }
  if (op === 'remove' || clearing(value)) {
    if (after) matches.forEach((e) => delete e[after.name]);
    else c[attr.name] = list.filter((e) => !matches.includes(e));
    return;
  }
  if (after) {
    matches.forEach((e) => (e[after.name] = value));
    return;
  }
  if (!isObject(value)) throw badRequest('invalidValue', `${where} needs an object value`);
  const replacement = canonical(attr, value) as Json;
  c[attr.name] = list.map((e) => (matches.includes(e) ? (op === 'add' ? { ...e, ...replacement } : { ...replacement }) : e));
}
