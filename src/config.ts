// One typed input config, resolved once (defaults + checks) into a frozen object. Every option
// is documented here, next to its default.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ControllableClock } from './clock.js';
import type { KeyPairPem } from './crypto/keys.js';
import { DEFAULT_PASSWORD_COST, type PasswordHashCost } from './crypto/passwords.js';
import { HarnessError } from './errors.js';

const keyPairSchema = z.object({ privateKeyPem: z.string().min(1), certificatePem: z.string().min(1) });

const urlSchema = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

export const configSchema = z
  .object({
    /** Public origin of the harness, as browsers reach it. Default `http://localhost:<port>`. */
    baseUrl: urlSchema.optional(),
    /** Separate public origin for the IdP side (default: baseUrl). */
    idpBaseUrl: urlSchema.optional(),
    /** Separate public origin for the SP side (default: baseUrl). */
    spBaseUrl: urlSchema.optional(),
    /** Port to listen on (`--port`, `PORT`); 0 picks a free one. Default 8400. */
    port: z.number().int().min(0).max(65535).default(8400),
    /** Interface to listen on. Default 127.0.0.1. */
    host: z.string().default('127.0.0.1'),
    /** Where generated keys live, reused across restarts. Default `./.sso-harness`. */
    dataDir: z.string().default('.sso-harness'),
    /** Fixed keys (tests use fixtures/keys); otherwise generated into dataDir once. */
    keys: z.object({ idp: keyPairSchema.optional(), sp: keyPairSchema.optional() }).default({}),
    /** Admin API bearer token (`SSO_HARNESS_ADMIN_TOKEN`); generated when absent. */
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Seed the demo (users, groups, the RingCentral app and SP account, wired end to end). */
    demo: z.boolean().default(false),
    /** IdP flavour: JumpCloud (default) or Okta. */
    idpFlavor: z.enum(['jumpcloud', 'okta']).default('jumpcloud'),
    /** How many SAML exchanges the trace keeps (oldest dropped first). Default 500. */
    traceLimit: z.number().int().min(0).default(500),
    /** scrypt cost for stored passwords. */
    passwordHashCost: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }).optional(),
    /** Largest JSON/form body accepted, in bytes. Default 1 MiB. */
    maxBodyBytes: z.number().int().positive().default(1024 * 1024),
    idp: z
      .object({
        /** How long an assertion is valid, in seconds. Default 300. */
        assertionLifetimeSec: z.number().int().positive().default(300),
        /** How long an IdP login session lasts, in seconds. Default 8 h. */
        sessionLifetimeSec: z.number().int().positive().default(8 * 3600),
      })
      .default({ assertionLifetimeSec: 300, sessionLifetimeSec: 8 * 3600 }),
    sp: z
      .object({
        /** The SP entity ID (RingCentral's is https://sso.ringcentral.com). Default `<spBaseUrl>/sp`. */
        entityId: z.string().min(1).optional(),
        /** Sign AuthnRequests (and say so in the SP metadata). Default true. */
        signAuthnRequests: z.boolean().default(true),
        /** How long an AuthnRequest stays answerable, in seconds. Default 600. */
        requestLifetimeSec: z.number().int().positive().default(600),
        /** How long an SP session lasts, in seconds. Default 8 h. */
        sessionLifetimeSec: z.number().int().positive().default(8 * 3600),
        /** Time allowed for an IdP metadata URL to answer, in ms. Default 5000. */
        metadataFetchTimeoutMs: z.number().int().positive().default(5000),
        /** Largest IdP metadata document accepted, in bytes. Default 1 MiB. */
        metadataMaxBytes: z.number().int().positive().default(1024 * 1024),
      })
      .default({
        signAuthnRequests: true,
        requestLifetimeSec: 600,
        sessionLifetimeSec: 8 * 3600,
        metadataFetchTimeoutMs: 5000,
        metadataMaxBytes: 1024 * 1024,
      }),
  })
  .strict();

export type HarnessConfigInput = z.input<typeof configSchema> & {
  /** The clock every side reads; tests freeze and advance it. */
  clock?: ControllableClock;
  /** The fetch used for metadata URLs and provisioning calls. */
  fetch?: typeof fetch;
  /** Log sink; default writes to stderr. */
  log?: (line: string) => void;
};

export interface ResolvedConfig {
  readonly baseUrl: string;
  readonly idpBaseUrl: string;
  readonly spBaseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly keys: { readonly idp?: KeyPairPem; readonly sp?: KeyPairPem };
  readonly adminToken: string;
  readonly adminTokenGenerated: boolean;
  readonly demo: boolean;
  readonly idpFlavor: 'jumpcloud' | 'okta';
  readonly traceLimit: number;
  readonly passwordHashCost: PasswordHashCost;
  readonly maxBodyBytes: number;
  readonly idp: { readonly assertionLifetimeSec: number; readonly sessionLifetimeSec: number };
  readonly sp: {
    readonly entityId: string;
    readonly signAuthnRequests: boolean;
    readonly requestLifetimeSec: number;
    readonly sessionLifetimeSec: number;
    readonly metadataFetchTimeoutMs: number;
    readonly metadataMaxBytes: number;
  };
  readonly clock: ControllableClock;
  readonly fetch: typeof fetch;
  readonly log: (line: string) => void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function resolveConfig(input: HarnessConfigInput = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const { clock, fetch: fetchImpl, log, ...plain } = input;
  const parsed = configSchema.safeParse(plain);
  if (!parsed.success) {
    throw new HarnessError('CONFIG_INVALID', `invalid configuration: ${describeIssues(parsed.error)}`, {
      fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])),
    });
  }
  const c = parsed.data;
  const envToken = env.SSO_HARNESS_ADMIN_TOKEN;
  if (c.adminToken === undefined && envToken !== undefined && envToken.length < 16) {
    throw new HarnessError('CONFIG_INVALID', 'SSO_HARNESS_ADMIN_TOKEN must be at least 16 characters');
  }
  const adminToken = c.adminToken ?? envToken ?? randomBytes(24).toString('base64url');
  const baseUrl = c.baseUrl ?? `http://localhost:${c.port}`;
  const spBaseUrl = c.spBaseUrl ?? baseUrl;
  const resolved: ResolvedConfig = {
    baseUrl,
    idpBaseUrl: c.idpBaseUrl ?? baseUrl,
    spBaseUrl,
    port: c.port,
    host: c.host,
    dataDir: resolve(c.dataDir),
    keys: c.keys,
    adminToken,
    adminTokenGenerated: c.adminToken === undefined && envToken === undefined,
    demo: c.demo,
    idpFlavor: c.idpFlavor,
    traceLimit: c.traceLimit,
    passwordHashCost: c.passwordHashCost ?? DEFAULT_PASSWORD_COST,
    maxBodyBytes: c.maxBodyBytes,
    idp: c.idp,
    sp: { ...c.sp, entityId: c.sp.entityId ?? `${spBaseUrl}/sp` },
    clock: clock ?? new ControllableClock(),
    fetch: fetchImpl ?? globalThis.fetch,
    log: log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  return Object.freeze(resolved);
}
