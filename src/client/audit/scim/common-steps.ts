// The steps every dialect takes in its own request shapes: discovery, lookups, create, read back,
// a write checked by reading the user back, delete, paging, and how the server throttled.
import type { HttpMethod, ScimAnswer } from '../../../provisioning/scim-http.js';
import { describeExpected, userMismatches, type ExpectedUser } from './audit-user.js';
import { bodyOf, brief, said, type DialectRun } from './dialect-run.js';
import type { Throttle } from './session.js';

const isListResponse = (b: Record<string, unknown>): boolean => Array.isArray(b.Resources) || b.totalResults === 0;

/** GET a discovery endpoint; `has` names what the client reads in it. */
export function discovery(run: DialectRun, id: string, path: string, what: string, has: (body: unknown) => string | undefined): Promise<boolean> {
  return run.step({ id, title: `reads ${path}` }, `HTTP 200 with ${what}`, `GET ${path}`, async () => {
    const answer = await run.send('GET', path);
    if (answer.status !== 200) return { observed: said(answer), pass: false };
    const missing = has(answer.body);
    return { observed: missing === undefined ? 'HTTP 200' : `HTTP 200 without ${missing}`, pass: missing === undefined };
  });
}

export const serviceProviderConfig = (body: unknown): string | undefined =>
  (body as { patch?: { supported?: unknown } } | undefined)?.patch?.supported === true ? undefined : 'patch.supported: true';

/** `/Schemas` and `/ResourceTypes` answer a ListResponse (RFC 7644 §4) or, in older servers, a plain array. */
export function listsUser(field: 'id' | 'name'): (body: unknown) => string | undefined {
  return (body) => {
    const items = Array.isArray(body) ? body : (body as { Resources?: unknown } | undefined)?.Resources;
    const found = Array.isArray(items) && items.some((r) => /^(urn:ietf:params:scim:schemas:core:2\.0:)?User$/.test(String((r as Record<string, unknown>)[field])));
    return found ? undefined : `the User ${field === 'id' ? 'schema' : 'resource type'}`;
  };
}

export interface Lookup {
  id: string;
  title: string;
  path: string;
  /** The client reads a 404 as "none" too (JumpCloud's and Okta's clients do). */
  notFoundIs404?: boolean;
}

/** A filter for a user that does not exist: "not found" as the client reads it. */
export function lookupAbsent(run: DialectRun, lookup: Lookup): Promise<boolean> {
  const expects = `HTTP 200 with a ListResponse of totalResults 0${lookup.notFoundIs404 ? ' (or a 404)' : ' (not a 404)'}`;
  return run.step({ id: lookup.id, title: lookup.title }, expects, `GET ${lookup.path}`, async () => {
    const answer = await run.send('GET', lookup.path);
    if (answer.status === 404) return { observed: said(answer), pass: lookup.notFoundIs404 === true };
    const b = bodyOf(answer);
    const pass = answer.status === 200 && isListResponse(b) && b.totalResults === 0;
    return { observed: `${said(answer)}${answer.status === 200 ? `, totalResults ${brief(b.totalResults)}` : ''}`, pass };
  });
}

/** A filter that must find the audit's user, and only it. */
export function lookupPresent(run: DialectRun, lookup: Lookup): Promise<boolean> {
  return run.step({ id: lookup.id, title: lookup.title, needsUser: true }, 'HTTP 200, totalResults 1, the created user', `GET ${lookup.path}`, async () => {
    const answer = await run.send('GET', lookup.path);
    const b = bodyOf(answer);
    const resources = Array.isArray(b.Resources) ? (b.Resources as Record<string, unknown>[]) : [];
    const pass = answer.status === 200 && b.totalResults === 1 && resources.length === 1 && resources[0]?.id === run.userId;
    return { observed: `${said(answer)}, totalResults ${brief(b.totalResults)}, ids ${brief(resources.map((r) => r.id))}`, pass };
  });
}

/** POST the user: 201 with an id (RFC 7644 §3.3); the run keeps the id, whatever the status. */
export function create(run: DialectRun, resource: Record<string, unknown>, sends = `POST /Users ${brief(resource, 100)}`): Promise<boolean> {
  return run.step({ id: 'create', title: 'creates the user' }, 'HTTP 201 with the user and its id', sends, async () => {
    const answer = await run.send('POST', '/Users', resource);
    const b = bodyOf(answer);
    if (answer.status >= 200 && answer.status < 300 && typeof b.id === 'string') run.userId = b.id;
    const pass = answer.status === 201 && typeof b.id === 'string' && b.userName === resource.userName;
    return { observed: `${said(answer)}${typeof b.id === 'string' ? `, id ${b.id}` : ', no id'}`, pass };
  });
}

/** GET the user and compare it with what the client wrote. */
export async function readUser(run: DialectRun, expected: ExpectedUser): Promise<{ observed: string; pass: boolean }> {
  const answer = await run.send('GET', run.userPath);
  if (answer.status !== 200) return { observed: `GET ${said(answer)}`, pass: false };
  const wrong = userMismatches(bodyOf(answer), expected);
  return { observed: wrong.length === 0 ? 'GET HTTP 200, as written' : `GET HTTP 200 with ${wrong.join(', ')}`, pass: wrong.length === 0 };
}

export function readBack(run: DialectRun, id: string, title: string, expected: ExpectedUser, ringcentral = false): Promise<boolean> {
  return run.step({ id, title, needsUser: true, ringcentral }, `HTTP 200 with ${describeExpected(expected)}`, `GET /Users/{id}`, () => readUser(run, expected));
}

export interface Write {
  id: string;
  title: string;
  method: HttpMethod;
  body?: unknown;
  /** The statuses the client takes as success. */
  ok: readonly number[];
  /** What the user must look like afterwards. */
  then: ExpectedUser;
  ringcentral?: boolean;
}

/** A write the client sends, then a GET to see it took effect (a write acknowledged and dropped fails). */
export function writeAndRead(run: DialectRun, write: Write): Promise<boolean> {
  const sends = `${write.method} /Users/{id}${write.body === undefined ? '' : ` ${brief(write.body)}`}`;
  const expects = `HTTP ${write.ok.join(' or ')}, then GET shows ${describeExpected(write.then)}`;
  return run.step({ id: write.id, title: write.title, needsUser: true, ...(write.ringcentral && { ringcentral: true }) }, expects, sends, async () => {
    const answer = await run.send(write.method, run.userPath, write.body);
    if (!write.ok.includes(answer.status)) return { observed: `${write.method} ${said(answer)}`, pass: false };
    const read = await readUser(run, write.then);
    return { observed: `${write.method} HTTP ${answer.status}; ${read.observed}`, pass: read.pass };
  });
}

/** A write the server must refuse (RingCentral's rules); `status` is what it refuses with. */
export function refused(run: DialectRun, id: string, title: string, method: HttpMethod, path: string, body: unknown, status: number, why: string, needsUser = true): Promise<boolean> {
  return run.step({ id, title, ringcentral: true, needsUser }, `HTTP ${status}: ${why}`, `${method} ${path.replace(run.userId ?? '\0', '{id}')} ${brief(body)}`, async () => {
    const answer = await run.send(method, path, body);
    return { observed: said(answer), pass: answer.status === status };
  });
}

/** DELETE, then a GET that finds nothing. */
export function deleteUser(run: DialectRun, id: string, title: string, before?: { method: HttpMethod; body: unknown; ok: readonly number[] }): Promise<boolean> {
  const sends = `${before ? `${before.method} /Users/{id} ${brief(before.body)}, then ` : ''}DELETE /Users/{id}`;
  return run.step({ id, title, needsUser: true }, `${before ? `HTTP ${before.ok.join(' or ')}, then ` : ''}HTTP 204, then GET answers 404`, sends, async () => {
    const parts: string[] = [];
    if (before) {
      const first = await run.send(before.method, run.userPath, before.body);
      parts.push(`${before.method} ${said(first)}`);
      if (!before.ok.includes(first.status)) return { observed: parts.join('; '), pass: false };
    }
    const answer = await run.send('DELETE', run.userPath);
    parts.push(`DELETE ${said(answer)}`);
    if (answer.status !== 204) return { observed: parts.join('; '), pass: false };
    const gone = await run.send('GET', run.userPath);
    parts.push(`GET ${said(gone)}`);
    if (gone.status === 404) run.blocked = 'not run: the user was deleted';
    return { observed: parts.join('; '), pass: gone.status === 404 };
  });
}

/** A page as the client asks for one: startIndex, itemsPerPage and totalResults are JSON integers. */
export function paging(run: DialectRun, startIndex: number, count: number): Promise<boolean> {
  const path = `/Users?startIndex=${startIndex}&count=${count}`;
  return run.step({ id: 'paging', title: 'pages through users' }, `HTTP 200, a ListResponse with integer startIndex ${startIndex}, itemsPerPage ≤ ${count} and totalResults, at most ${count} Resources`, `GET ${path}`, async () => {
    const answer = await run.send('GET', path);
    const b = bodyOf(answer);
    const resources = Array.isArray(b.Resources) ? b.Resources : [];
    const wrong = [
      answer.status !== 200 && said(answer),
      b.startIndex !== startIndex && `startIndex ${brief(b.startIndex)}`,
      !(Number.isInteger(b.itemsPerPage) && (b.itemsPerPage as number) <= count) && `itemsPerPage ${brief(b.itemsPerPage)}`,
      !Number.isInteger(b.totalResults) && `totalResults ${brief(b.totalResults)}`,
      resources.length > count && `${resources.length} Resources`,
    ].filter((w): w is string => typeof w === 'string');
    return { observed: wrong.length === 0 ? `HTTP 200, ${resources.length} of ${String(b.totalResults)}` : wrong.join(', '), pass: wrong.length === 0 };
  });
}

/** Clients wait as long as Retry-After says on 429 and 503; without it they can only guess. */
export function throttling(run: DialectRun, throttles: () => readonly Throttle[]): Promise<boolean> {
  return run.step({ id: 'throttling', title: 'throttles with Retry-After' }, 'any 429 or 503 carries Retry-After (retried as it says)', 'every request above', () => {
    const seen = throttles();
    const bare = seen.filter((t) => t.retryAfter === undefined);
    const observed = seen.length === 0 ? 'no 429 or 503 answered' : bare.length === 0 ? `${seen.length} throttled, each with Retry-After, retried` : `${bare.length} of ${seen.length} without Retry-After (first: ${bare[0]?.status} to ${bare[0]?.request})`;
    return Promise.resolve({ observed, pass: bare.length === 0 });
  });
}

export type { ScimAnswer };
