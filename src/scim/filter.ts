// SCIM filters (RFC 7644 §3.4.2.2). scim2-parse-filter parses the grammar (operators and
// and/or/not case-insensitive, grouping, value paths); matching is ours because the library
// compares attribute names and strings case-sensitively, and SCIM wants both to follow the
// schema (`caseExact`, case-insensitive names).
import { parse, type Filter } from 'scim2-parse-filter';
import { describePaths, itemsAt, resolvePath, resolveSubPath, valuesAt, type ResolvedPath } from './attribute-path.js';
import { badRequest } from './errors.js';
import { findAttribute, type AttributeDef } from './schema.js';
import { errorMessage } from '../caught-error.js';

export type ResourcePredicate = (resource: Record<string, unknown>) => boolean;

export const MAX_FILTER_LENGTH = 2000;
const MAX_COMPARISONS = 50;
/** Grouping and value paths nest at most this deep: the parser and compile() recurse once per level. */
const MAX_FILTER_DEPTH = 32;

/** RingCentral documents `email eq "…"`; it means the SCIM `emails.value`. A Map, so `__proto__` is no alias. */
const ALIASES: ReadonlyMap<string, string> = new Map([['email', 'emails.value']]);

type Compiled = (scope: Record<string, unknown>) => boolean;

/**
 * ABNF literals are case-insensitive, so `active eq False` is valid SCIM; the parser only
 * knows lower-case true/false/null. Quoted strings are left alone.
 */
function lowerLiterals(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|\b(?:true|false|null)\b/gi, (m) => (m.startsWith('"') ? m : m.toLowerCase()));
}

/** How deep `(…)` and `[…]` nest in `text`, quoted strings aside. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') deepest = Math.max(deepest, (depth += 1));
    else if (c === ')' || c === ']') depth -= 1;
  }
  return deepest;
}

/**
 * The filter's syntax tree, after the bounds that keep parsing and compiling cheap and shallow
 * (length, nesting); `what` names the filter in the error and `example` shows a good one.
 */
function parseBounded(text: string, what: string, example: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw badRequest('invalidFilter', `${what} is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
  const depth = nestingDepth(text);
  if (depth > MAX_FILTER_DEPTH) {
    throw badRequest('invalidFilter', `${what} nests parentheses or brackets ${depth} levels deep; the limit is ${MAX_FILTER_DEPTH}`);
  }
  try {
    return parse(lowerLiterals(text));
  } catch (err) {
    throw badRequest('invalidFilter', `${what} ${JSON.stringify(text)} is not valid SCIM filter syntax (${errorMessage(err)}); e.g. ${example}`);
  }
}

export function compileFilter(text: string): ResourcePredicate {
  const ast = parseBounded(text, 'the filter', 'userName eq "ann@example.com"');
  const counter = { n: 0 };
  const compiled = compile(ast, undefined, counter);
  if (counter.n > MAX_COMPARISONS) {
    throw badRequest('tooMany', `the filter has ${counter.n} comparisons; this server evaluates at most ${MAX_COMPARISONS} per request`);
  }
  return compiled;
}

/** An equality the directory can answer from an index: what a client's lookup before a create sends. */
export interface IndexedEquality {
  attribute: 'userName' | 'email';
  value: string;
}

/**
 * The `userName eq "…"` or `emails eq "…"` (also `emails.value`, `email`) at the top of a filter, or
 * in one branch of a top-level `and`: every match must satisfy it, so the candidates can come from
 * an index and the whole filter then runs on them. Call after `compileFilter` accepted the text.
 */
export function indexedEquality(text: string): IndexedEquality | undefined {
  const find = (f: Filter): IndexedEquality | undefined => {
    if (f.op === 'and') {
      for (const part of f.filters) {
        const hit = find(part);
        if (hit) return hit;
      }
      return undefined;
    }
    if (f.op !== 'eq' || typeof f.compValue !== 'string') return undefined;
    const path = resolve(f.attrPath, undefined);
    if (path.extension || !path.attr) return undefined;
    if (path.attr.name === 'userName' && !path.sub) return { attribute: 'userName', value: f.compValue };
    if (path.attr.name === 'emails' && (!path.sub || path.sub.name === 'value')) return { attribute: 'email', value: f.compValue };
    return undefined;
  };
  try {
    return find(parseBounded(text, 'the filter', ''));
  } catch {
    return undefined;
  }
}

/** A value filter's text (`type eq "work"`) evaluated on the elements of a multi-valued attribute. */
export function compileElementFilter(text: string, parent: AttributeDef): (element: Record<string, unknown>) => boolean {
  return compile(parseBounded(text, 'the value filter', '[type eq "work"]'), parent, { n: 0 });
}

function resolve(attrPath: string, parent: AttributeDef | undefined): ResolvedPath {
  const path = ALIASES.get(attrPath.toLowerCase()) ?? attrPath;
  if (parent) {
    const sub = resolveSubPath(parent, path);
    if (sub) return { extension: false, attr: sub };
  } else {
    const resolved = resolvePath(path);
    if (resolved?.attr) return resolved;
  }
  const known = parent ? (parent.subAttributes ?? []).map((s) => s.name).join(', ') : describePaths();
  throw badRequest('invalidFilter', `the filter names an unknown attribute ${JSON.stringify(attrPath)}; use one of ${known}`);
}

function compile(f: Filter, parent: AttributeDef | undefined, counter: { n: number }): Compiled {
  switch (f.op) {
    case 'and':
    case 'or': {
      const parts = f.filters.map((p) => compile(p, parent, counter));
      return f.op === 'and' ? (s) => parts.every((p) => p(s)) : (s) => parts.some((p) => p(s));
    }
    case 'not': {
      const inner = compile(f.filter, parent, counter);
      return (s) => !inner(s);
    }
    case '[]': {
      const path = resolve(f.attrPath, parent);
      const attr = path.attr as AttributeDef;
      if (!attr.multiValued || attr.type !== 'complex' || path.sub) {
        throw badRequest('invalidFilter', `${f.attrPath}[...] needs a multi-valued complex attribute such as emails, phoneNumbers or addresses`);
      }
      const inner = compile(f.valFilter, attr, counter);
      return (s) => elementsOf(s, path).some((e) => inner(e));
    }
    case 'pr': {
      counter.n += 1;
      const path = resolve(f.attrPath, parent);
      return (s) => valuesAt(s, path).some(present);
    }
    default: {
      counter.n += 1;
      const path = resolve(f.attrPath, parent);
      const attr = path.attr as AttributeDef;
      // `emails eq "…"` compares the elements' value (RFC 7644 §3.4.2.2, multi-valued complex attributes).
      const def = path.sub ?? (attr.multiValued && attr.type === 'complex' ? (findAttribute(attr.subAttributes ?? [], 'value') ?? attr) : attr);
      const test = comparator(f.op, f.compValue, def);
      if (f.op === 'ne') return (s) => !valuesAt(s, path).some((v) => test(v));
      return (s) => valuesAt(s, path).some((v) => test(v));
    }
  }
}

function elementsOf(scope: Record<string, unknown>, path: ResolvedPath): Record<string, unknown>[] {
  return itemsAt(scope, path).filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object');
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

type Op = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';

function comparator(op: Op, compValue: boolean | null | number | string, def: AttributeDef): (v: unknown) => boolean {
  if (def.type === 'complex') {
    throw badRequest('invalidFilter', `${def.name} is complex: compare one of its sub-attributes (${(def.subAttributes ?? []).map((s) => `${def.name}.${s.name}`).join(', ')})`);
  }
  if (def.type === 'boolean') {
    if (!['eq', 'ne'].includes(op)) throw badRequest('invalidFilter', `${def.name} is a boolean: only eq and ne (or pr) apply, not ${op}`);
    const wanted = typeof compValue === 'string' ? compValue.toLowerCase() === 'true' : compValue;
    return (v) => v === wanted;
  }
  if (compValue === null) return () => false; // `eq null` matches nothing present; `ne null` then matches everything
  const fold = (x: string): string => (def.caseExact ? x : x.toLowerCase());
  const wanted = fold(String(compValue));
  if (def.type === 'dateTime') {
    const at = Date.parse(String(compValue));
    if (Number.isNaN(at)) throw badRequest('invalidFilter', `${def.name} is a dateTime: compare it with an ISO 8601 value such as "2024-01-01T00:00:00Z"`);
    return (v) => typeof v === 'string' && order(op, Date.parse(v), at);
  }
  return (v) => {
    if (typeof v !== 'string') return false;
    const have = fold(v);
    switch (op) {
      case 'eq':
      case 'ne':
        return have === wanted;
      case 'co':
        return have.includes(wanted);
      case 'sw':
        return have.startsWith(wanted);
      case 'ew':
        return have.endsWith(wanted);
      default:
        return order(op, have, wanted);
    }
  };
}

function order<T extends number | string>(op: Op, have: T, wanted: T): boolean {
  if (op === 'gt') return have > wanted;
  if (op === 'ge') return have >= wanted;
  if (op === 'lt') return have < wanted;
  if (op === 'le') return have <= wanted;
  return have === wanted;
}

/**
 * The sub-attribute values a value filter pins down (`type eq "work"`, or several joined by
 * `and`): what a PATCH `add` through a filter that matches nothing creates. Undefined when
 * the filter is anything else.
 */
export function equalitiesOf(text: string, parent: AttributeDef): Record<string, unknown> | undefined {
  let ast: Filter;
  try {
    ast = parseBounded(text, 'the value filter', '');
  } catch {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  const collect = (f: Filter): boolean => {
    if (f.op === 'and') return f.filters.every(collect);
    if (f.op !== 'eq') return false;
    const sub = resolveSubPath(parent, f.attrPath);
    if (!sub) return false;
    out[sub.name] = f.compValue;
    return true;
  };
  return collect(ast) ? out : undefined;
}
