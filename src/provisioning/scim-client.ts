// The SCIM 2.0 operations the provisioning client uses (RFC 7644), over ScimHttp. Unexpected
// answers become IDM_SCIM_REQUEST errors carrying the SP's status, scimType and detail.
import { HarnessError } from '../errors.js';
import type { ExchangeRecorder, HttpMethod, ScimAnswer, ScimHttp } from './scim-http.js';
import type { ScimUser } from './scim-mapping.js';

export type StoredScimUser = ScimUser & { id: string };

export interface ScimPage {
  resources: unknown[];
  totalResults: number;
  itemsPerPage: number;
}

/** The SP's error as RFC 7644 §3.12 shapes it (status is a string there). */
export function scimErrorOf(body: unknown): { scimType?: string; detail?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  return {
    ...(typeof b.scimType === 'string' && { scimType: b.scimType }),
    ...(typeof b.detail === 'string' && { detail: b.detail }),
  };
}

export function scimFailure(method: HttpMethod, path: string, answer: ScimAnswer, expected: string): HarnessError {
  const { scimType, detail } = scimErrorOf(answer.body);
  const said = [scimType, detail].filter(Boolean).join(': ');
  return new HarnessError('IDM_SCIM_REQUEST', `${method} ${path} answered HTTP ${answer.status}${said ? ` (${said})` : ''}`, {
    expected,
    received: `HTTP ${answer.status}${said ? ` ${said}` : ''}`,
    fields: { status: answer.status, ...(scimType && { scimType }), ...(detail && { detail }) },
  });
}

/** A SCIM filter value in double quotes (RFC 7644 §3.4.2.2 compValue is a JSON string). */
const quoted = (value: string): string => JSON.stringify(value);

/**
 * `attribute eq "value"` as a query parameter value. Clients differ only in how they encode the
 * spaces: `%20` (JumpCloud, Okta) or `+` (Entra ID, as its requests show in server logs).
 */
export function filterParam(attribute: string, value: string, spaces: '%20' | '+' = '%20'): string {
  return [attribute, 'eq', quoted(value)].map(encodeURIComponent).join(spaces);
}

export class ScimClient {
  constructor(private readonly http: ScimHttp) {}

  private async call(method: HttpMethod, path: string, body: unknown, rec: ExchangeRecorder, ok: number[], expected: string): Promise<ScimAnswer> {
    const answer = await this.http.send(method, path, body, rec);
    if (!ok.includes(answer.status)) throw scimFailure(method, path, answer, expected);
    return answer;
  }

  /** `GET /Users?filter=userName eq "x"` (with Okta's `startIndex=1&count=100` when asked); a 404 means none. */
  async findByUserName(userName: string, rec: ExchangeRecorder, paging: boolean, spaces: '%20' | '+' = '%20'): Promise<StoredScimUser | undefined> {
    const path = `/Users?filter=${filterParam('userName', userName, spaces)}${paging ? '&startIndex=1&count=100' : ''}`;
    const answer = await this.call('GET', path, undefined, rec, [200, 404], 'HTTP 200 with a ListResponse');
    if (answer.status === 404) return undefined;
    const resources = ((answer.body ?? {}) as { Resources?: unknown }).Resources;
    const found = Array.isArray(resources) ? (resources as StoredScimUser[]) : [];
    return found.find((u) => typeof u.id === 'string' && u.userName?.toLowerCase() === userName.toLowerCase());
  }

  /** `GET /Users?filter=externalId eq "x"` (Entra's second lookup); a 404 or an empty list means none. */
  async findByExternalId(externalId: string, rec: ExchangeRecorder, spaces: '%20' | '+' = '%20'): Promise<StoredScimUser | undefined> {
    const path = `/Users?filter=${filterParam('externalId', externalId, spaces)}`;
    const answer = await this.call('GET', path, undefined, rec, [200, 404], 'HTTP 200 with a ListResponse');
    if (answer.status === 404) return undefined;
    const resources = ((answer.body ?? {}) as { Resources?: unknown }).Resources;
    return (Array.isArray(resources) ? (resources as StoredScimUser[]) : []).find((u) => typeof u.id === 'string' && u.externalId === externalId);
  }

  /** `POST /Users`; 201 with the stored resource. A 409 (already there) is the caller's to handle. */
  async create(resource: ScimUser, rec: ExchangeRecorder): Promise<{ id?: string; answer: ScimAnswer }> {
    const answer = await this.http.send('POST', '/Users', resource, rec);
    if (answer.status === 409) return { answer };
    if (answer.status !== 201 && answer.status !== 200) throw scimFailure('POST', '/Users', answer, 'HTTP 201 with the created user');
    const id = ((answer.body ?? {}) as { id?: unknown }).id;
    if (typeof id !== 'string') throw scimFailure('POST', '/Users', answer, 'a created user with an id');
    return { id, answer };
  }

  async get(id: string, rec: ExchangeRecorder): Promise<StoredScimUser> {
    const answer = await this.call('GET', `/Users/${encodeURIComponent(id)}`, undefined, rec, [200], 'HTTP 200 with the user');
    return answer.body as StoredScimUser;
  }

  async replace(id: string, resource: ScimUser, rec: ExchangeRecorder): Promise<void> {
    await this.call('PUT', `/Users/${encodeURIComponent(id)}`, { ...resource, id }, rec, [200], 'HTTP 200 with the replaced user');
  }

  async patch(id: string, body: unknown, rec: ExchangeRecorder): Promise<void> {
    await this.call('PATCH', `/Users/${encodeURIComponent(id)}`, body, rec, [200, 204], 'HTTP 200 or 204');
  }

  /** A 404 counts as done: the user is already gone. */
  async delete(id: string, rec: ExchangeRecorder): Promise<void> {
    await this.call('DELETE', `/Users/${encodeURIComponent(id)}`, undefined, rec, [204, 200, 404], 'HTTP 204');
  }

  async list(startIndex: number, count: number, rec: ExchangeRecorder): Promise<ScimPage> {
    const answer = await this.call('GET', `/Users?startIndex=${startIndex}&count=${count}`, undefined, rec, [200], 'HTTP 200 with a ListResponse');
    const body = (answer.body ?? {}) as { Resources?: unknown; totalResults?: unknown; itemsPerPage?: unknown };
    const resources = Array.isArray(body.Resources) ? body.Resources : [];
    return {
      resources,
      totalResults: Number(body.totalResults ?? resources.length),
      itemsPerPage: Number(body.itemsPerPage ?? resources.length),
    };
  }

  /** The verification call after authorization. */
  async serviceProviderConfig(rec: ExchangeRecorder): Promise<unknown> {
    return (await this.call('GET', '/ServiceProviderConfig', undefined, rec, [200], 'HTTP 200 with the ServiceProviderConfig')).body;
  }
}
