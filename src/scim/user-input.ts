// A SCIM User body (POST, PUT, or the result of a PATCH) read into what the SP stores.
// Attribute names are case-insensitive (RFC 7643 §2.1); readOnly ones (id, meta) are ignored;
// anything the SP does not store is ignored or refused (rule ignoreExtraAttributes).
import { addressSchema, type Address } from '../address.js';
import type { PhoneNumber } from '../sp/model.js';
import { badRequest } from './errors.js';
import { RC_PARAMETER, addressParameter, rcInvalidValue } from './ringcentral-wording.js';
import { LEGACY_ENTERPRISE_USER, SCIM_SCHEMA } from '../scim-protocol/urn.js';

export interface UserDraft {
  userName: string;
  /** The work email (else the primary, else the first); undefined when `emails` is absent. */
  email?: string;
  givenName?: string;
  familyName?: string;
  active?: boolean;
  externalId?: string;
  department?: string;
  addresses: Address[];
  phoneNumbers: PhoneNumber[];
}

type Json = Record<string, unknown>;

const PHONE_TYPES: readonly PhoneNumber['type'][] = ['work', 'mobile', 'home', 'fax', 'pager', 'other'];
const ADDRESS_TYPES = ['work', 'home', 'other'] as const;
const ADDRESS_FIELDS = ['streetAddress', 'locality', 'region', 'postalCode', 'country'] as const;
/** Accepted and not stored, whatever the rule says: readOnly attributes and the password (set from the activation email). */
const ALWAYS_IGNORED = new Set(['id', 'meta', 'password', 'schemas', 'groups']);

/** Reads a JSON object's keys case-insensitively and remembers which ones were used. */
class Reader {
  private readonly keys = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(
    private readonly obj: Json,
    private readonly where: string,
  ) {
    for (const key of Object.keys(obj)) this.keys.set(key.toLowerCase(), key);
  }

  get(name: string): unknown {
    const key = this.keys.get(name.toLowerCase());
    if (key === undefined) return undefined;
    this.used.add(key);
    const value = this.obj[key];
    return value === null ? undefined : value;
  }

  string(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw badRequest('invalidValue', `${this.where}${name} must be a string, not ${JSON.stringify(value)}`);
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  unknown(): string[] {
    return Object.keys(this.obj)
      .filter((k) => !this.used.has(k))
      .map((k) => this.where + k);
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Entra sends booleans as "True"/"False" strings. */
function toBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw badRequest('invalidValue', `${what} must be true or false, not ${JSON.stringify(value)}`);
}

function multi(value: unknown, what: string): Json[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(isObject)) throw badRequest('invalidValue', `${what} must be a list of objects`);
  return list;
}

export function readUser(body: unknown, ignoreExtra: boolean): UserDraft {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'the request body must be a JSON object (a SCIM User resource)');
  const top = new Reader(body, '');
  const extra: string[] = [];
  const schemas = top.get('schemas');
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM_SCHEMA.user.toLowerCase()))) {
    throw badRequest('invalidSyntax', `schemas must list ${SCIM_SCHEMA.user}`);
  }
  const userName = top.string('userName');
  if (userName === undefined) throw rcInvalidValue(RC_PARAMETER.userName, 'userName is required (RingCentral: the work email)');
  const draft: UserDraft = { userName, addresses: [], phoneNumbers: [] };

  const name = top.get('name');
  if (name !== undefined) {
    if (!isObject(name)) throw badRequest('invalidValue', 'name must be an object with givenName and familyName');
    const n = new Reader(name, 'name.');
    draft.givenName = n.string('givenName');
    draft.familyName = n.string('familyName');
    n.get('formatted');
    extra.push(...n.unknown());
  }
  draft.active = toBoolean(top.get('active'), 'active');
  draft.externalId = top.string('externalId');

  const emails = multi(top.get('emails'), 'emails').map((e, i) => readTyped(e, `emails[${i}].`, extra));
  const chosen = emails.find((e) => e.type === 'work') ?? emails.find((e) => e.primary) ?? emails[0];
  if (chosen) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(chosen.value)) throw rcInvalidValue(RC_PARAMETER.email, `emails: ${JSON.stringify(chosen.value)} is not an email address`);
    draft.email = chosen.value;
  }
  draft.phoneNumbers = multi(top.get('phoneNumbers'), 'phoneNumbers').map((p, i) => {
    const phone = readTyped(p, `phoneNumbers[${i}].`, extra);
    const type = (phone.type ?? 'work') as PhoneNumber['type'];
    if (!PHONE_TYPES.includes(type)) throw badRequest('invalidValue', `phoneNumbers[${i}].type must be one of ${PHONE_TYPES.join(', ')}`);
    return { type, value: phone.value };
  });
  draft.addresses = multi(top.get('addresses'), 'addresses').map((a, i) => readAddress(a, i, extra));

  for (const urn of [SCIM_SCHEMA.enterpriseUser, LEGACY_ENTERPRISE_USER]) {
    const ext = top.get(urn);
    if (ext === undefined) continue;
    if (!isObject(ext)) throw badRequest('invalidValue', `${urn} must be an object`);
    const e = new Reader(ext, `${urn}:`);
    draft.department = e.string('department') ?? draft.department;
    extra.push(...e.unknown());
  }
  for (const key of ALWAYS_IGNORED) top.get(key);
  extra.push(...top.unknown());
  if (!ignoreExtra && extra.length > 0) {
    throw badRequest(
      'invalidSyntax',
      `unknown attribute${extra.length > 1 ? 's' : ''} ${extra.join(', ')}: this API stores userName, name, emails, phoneNumbers, addresses, active, externalId and the enterprise department (rule ignoreExtraAttributes is off; switch it on to ignore the others)`,
    );
  }
  return draft;
}

function readTyped(obj: Json, where: string, extra: string[]): { value: string; type?: string; primary: boolean } {
  const r = new Reader(obj, where);
  const value = r.string('value');
  if (value === undefined) throw badRequest('invalidValue', `${where}value is required`);
  const type = r.string('type')?.toLowerCase();
  const primary = toBoolean(r.get('primary'), `${where}primary`) ?? false;
  r.get('display');
  extra.push(...r.unknown());
  return { value, ...(type !== undefined && { type }), primary };
}

function readAddress(obj: Json, i: number, extra: string[]): Address {
  const where = `addresses[${i}].`;
  const r = new Reader(obj, where);
  const type = r.string('type')?.toLowerCase() ?? 'work';
  if (!(ADDRESS_TYPES as readonly string[]).includes(type)) throw rcInvalidValue(RC_PARAMETER.address, `${where}type must be one of ${ADDRESS_TYPES.join(', ')}`);
  const fields = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, r.string(f)]).filter(([, v]) => v !== undefined));
  toBoolean(r.get('primary'), `${where}primary`);
  r.get('formatted');
  extra.push(...r.unknown());
  const parsed = addressSchema.safeParse({ type, ...fields });
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.path[0];
    throw rcInvalidValue(addressParameter(typeof first === 'string' ? first : undefined), `${where}${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  }
  return parsed.data;
}
