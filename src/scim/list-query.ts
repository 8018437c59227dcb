// List and search parameters (RFC 7644 §3.4.2, §3.4.3): filter, startIndex and count (1-based,
// forgiving as the RFC asks), attributes and excludedAttributes.
import { badRequest } from './errors.js';
import { SCIM_MESSAGE } from '../scim-protocol/urn.js';

export interface ListQuery {
  filter?: string;
  startIndex: number;
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest('invalidValue', `${name} must be an integer, not ${JSON.stringify(value)}`);
  return n;
}

function names(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!list?.every((v) => typeof v === 'string')) throw badRequest('invalidValue', `${name} must be a comma-separated list of attribute names`);
  return (list as string[]).map((v) => v.trim()).filter((v) => v !== '');
}

/** From query parameters (GET) or a SearchRequest body (POST .search). */
export function readListQuery(source: Record<string, unknown>): ListQuery {
  const pick = (name: string): unknown => {
    const key = Object.keys(source).find((k) => k.toLowerCase() === name.toLowerCase());
    const v = key === undefined ? undefined : source[key];
    if (Array.isArray(v) && name !== 'attributes' && name !== 'excludedAttributes') throw badRequest('invalidValue', `${name} is given more than once`);
    return v;
  };
  const filter = pick('filter');
  if (filter !== undefined && typeof filter !== 'string') throw badRequest('invalidFilter', 'filter must be a string');
  const startIndex = integer(pick('startIndex'), 'startIndex') ?? 1;
  const count = integer(pick('count'), 'count') ?? DEFAULT_COUNT;
  const attributes = names(pick('attributes'), 'attributes');
  const excludedAttributes = names(pick('excludedAttributes'), 'excludedAttributes');
  return {
    ...(typeof filter === 'string' && filter.trim() !== '' && { filter: filter.trim() }),
    // §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
    startIndex: Math.max(1, startIndex),
    count: Math.min(MAX_COUNT, Math.max(0, count)),
    ...(attributes && { attributes }),
    ...(excludedAttributes && { excludedAttributes }),
  };
}

export function readSearchRequest(body: unknown): ListQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalidSyntax', 'a .search body must be a JSON SearchRequest object');
  const schemas = (body as Record<string, unknown>).schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SCIM_MESSAGE.searchRequest)) {
    throw badRequest('invalidSyntax', `a .search body needs "schemas": ["${SCIM_MESSAGE.searchRequest}"]`);
  }
  return readListQuery(body as Record<string, unknown>);
}

export interface ListResponse<T> {
  schemas: [typeof SCIM_MESSAGE.listResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources?: T[];
}

/** One page of `all`; with count 0 only totalResults is meaningful, so Resources is left out. */
export function page<T>(all: readonly T[], query: Pick<ListQuery, 'startIndex' | 'count'>): ListResponse<T> {
  const items = all.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
  return {
    schemas: [SCIM_MESSAGE.listResponse],
    totalResults: all.length,
    startIndex: query.startIndex,
    itemsPerPage: items.length,
    ...(query.count > 0 && { Resources: items }),
  };
}
