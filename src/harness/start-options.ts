// The harness options that `sso-harness start` also takes from its flags, its environment
// variables or its config file, each declared once: its check, its default, what it is, and its
// name in each source. The harness config schema (config.ts) and the config file's schema are built
// from these checks, and the CLI reads flags and variables through them, so a value is checked
// the same way wherever it comes from and a refusal names where it came from.
import { isIP } from 'node:net';
import { z } from 'zod';
import { IDP_FLAVORS } from '../idp/model.js';

/** One start option: the check of its value, and its name in each source that gives it. */
export interface StartOption<T = unknown> {
  /** The check, as the config file and the harness config apply it (no default: see `defaultText`). */
  readonly schema: z.ZodType<T>;
  /** What it is, for the docs. */
  readonly doc: string;
  /** The default, as the docs say it. */
  readonly defaultText: string;
  /** How a refusal of a flag or variable says what was expected: "PORT must be <expected>, not …". */
  readonly expected: string;
  readonly flag?: string;
  readonly variable?: string;
  /** Its key in the config file. */
  readonly fileKey?: string;
  /** Flags and variables are text: what the schema is given for `text`. */
  readonly fromText?: (text: string) => unknown;
  /** Never repeated in a message. */
  readonly secret?: boolean;
}

// A host name as the resolver takes it (RFC 1123 labels), or an IPv4/IPv6 address.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An http(s) URL without credentials, query or fragment: the origin (and path) browsers and peers reach. */
function isPublicUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
}

const PUBLIC_URL_EXPECTED =
  'the public http(s) URL people and peers reach the harness at, without query or fragment (e.g. https://sso.example.test or http://localhost:18530)';

/** A public base URL (the harness's, or one side's), as written; config.ts strips a trailing slash. */
export const publicUrlSchema = z.string().refine(isPublicUrl, `must be ${PUBLIC_URL_EXPECTED}`);

export const START_OPTIONS = {
  port: {
    schema: z.number().int().min(0).max(65535),
    doc: 'port to listen on; 0 picks a free one',
    defaultText: '8400',
    expected: 'a port number (0-65535)',
    flag: '--port',
    variable: 'PORT',
    fileKey: 'port',
    fromText: (text: string) => (/^\d{1,5}$/.test(text) ? Number(text) : Number.NaN),
  },
  host: {
    schema: z.string().refine((h) => isIP(h) !== 0 || HOST_NAME.test(h), 'must be an interface address or host name to listen on'),
    doc: 'interface to listen on',
    defaultText: '127.0.0.1',
    expected: 'an interface address or host name to listen on (0.0.0.0 for every interface, 127.0.0.1, ::)',
    flag: '--host',
    variable: 'SSO_HARNESS_HOST',
  },
  baseUrl: {
    schema: publicUrlSchema,
    doc: 'the public URL people and peers use (http or https, optionally with a path; no query)',
    defaultText: 'http://localhost:<port>',
    expected: PUBLIC_URL_EXPECTED,
    flag: '--base-url',
    variable: 'SSO_HARNESS_BASE_URL',
    fileKey: 'baseUrl',
  },
  dataDir: {
    schema: z.string().min(1),
    doc: 'where the keys and the SQLite database are kept (in the config file: relative to the file)',
    defaultText: './.sso-harness',
    expected: 'a folder',
    flag: '--data',
    variable: 'SSO_HARNESS_DATA',
    fileKey: 'dataDir',
  },
  store: {
    // The store module checks the value itself (parseStoreSpec), with its own messages.
    schema: z.string().min(1),
    doc: '`sqlite` (`<data dir>/harness.db`), a SQLite file path, `memory`, or a `postgres://` URL',
    defaultText: 'sqlite',
    expected: 'a store',
    flag: '--store',
    variable: 'SSO_HARNESS_STORE',
  },
  adminToken: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    doc: 'the admin API token, at least 16 characters',
    defaultText: 'generated and printed at start',
    expected: 'at least 16 characters (e.g. the output of openssl rand -hex 24)',
    variable: 'SSO_HARNESS_ADMIN_TOKEN',
    fileKey: 'adminToken',
    secret: true,
  },
  idpFlavor: {
    schema: z.enum(IDP_FLAVORS),
    doc: 'which IdP the harness plays: the flavour of new applications (each application can change its own)',
    defaultText: 'jumpcloud',
    expected: 'jumpcloud, okta or entra',
    flag: '--idp-flavor',
    fileKey: 'idpFlavor',
  },
} as const satisfies Record<string, StartOption>;

export type StartOptionName = keyof typeof START_OPTIONS;

/** Ten years: beyond any certificate or token a test moves time for, and far inside Date's range. */
export const MAX_CLOCK_OFFSET_MS = 10 * 366 * 24 * 3600 * 1000;

/**
 * The simulated offset of each side's clock from the harness clock, in ms (positive: ahead): an
 * IdP or SP whose clock is off, as real peers' are. Not a tolerance: that is
 * `idp.clockSkewSec` (and each SP account's `sso.clockSkewSec`).
 */
export const clockOffsetSchema = z
  .object({
    idp: z.number().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS).describe('The IdP clock\'s offset, in ms.'),
    sp: z.number().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS).describe('The SP clock\'s offset, in ms.'),
  })
  .partial()
  .strict();

/** Clock difference the IdP accepts in each direction when it reads an AuthnRequest's IssueInstant, in seconds. */
export const allowedClockSkewSecSchema = z.number().int().min(0).max(3600);
/** How old an AuthnRequest (its IssueInstant, by the IdP's clock) may be when it arrives, in seconds. */
export const requestMaxAgeSecSchema = z.number().int().positive().max(86_400);

/** The refusal of a flag's or variable's value, one line naming it. */
export function startOptionRefusal(option: StartOption, source: string, text: string): string {
  return `${source} must be ${option.expected}${option.secret ? '' : `, not ${text}`}`;
}

/** A flag's or variable's text checked by its option: the value, or undefined and the refusal. */
export function startOptionFromText<T>(option: StartOption<T>, source: string, text: string): { value: T } | { refusal: string } {
  const parsed = option.schema.safeParse(option.fromText ? option.fromText(text) : text);
  return parsed.success ? { value: parsed.data } : { refusal: startOptionRefusal(option, source, text) };
}
