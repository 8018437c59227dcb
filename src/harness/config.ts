// One typed input config, resolved once (defaults + checks) into a frozen object. Every option
// is documented here, next to its default.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ControllableClock } from '../clock.js';
import type { KeyPairPem } from '../crypto/keys.js';
import { DEFAULT_PASSWORD_COST, type PasswordHashCost } from '../crypto/passwords.js';
import { commandLineSafeToken } from '../crypto/random-token.js';
import { HarnessError } from '../errors.js';
import { parseStoreSpec, type StoreSpec } from '../store/open.js';
import { allowedClockSkewSecSchema, clockOffsetSchema, publicUrlSchema, requestMaxAgeSecSchema, START_OPTIONS, startOptionRefusal } from './start-options.js';
import { FLAVOR_NAMES, type IdpFlavor } from '../idp/model.js';

const keyPairSchema = z.object({ privateKeyPem: z.string().min(1), certificatePem: z.string().min(1) });

/** The client id of this harness's own IdP (its Identity Management / provisioning client). */
export const HARNESS_IDP_CLIENT_ID = 'sso-harness-idp';

/**
 * A redirect URI: absolute http(s), no fragment (RFC 6749 §3.1.2). A `*` may stand for exactly one
 * whole path segment (the app id in `.../idp/apps/<*>/idm/callback`), nowhere else.
 */
const redirectUriSchema = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .refine((u) => !u.includes('#'), 'must not have a fragment')
  .refine((u) => {
    const stars = u.split('*').length - 1;
    if (stars === 0) return true;
    const marker = 'zz-wildcard-zz';
    const segments = new URL(u.replaceAll('*', marker)).pathname.split('/');
    return segments.filter((s) => s === marker).length === stars && segments.every((s) => s === marker || !s.includes(marker));
  }, '`*` may only stand for one whole path segment');

const oauthClientSchema = z
  .object({
    clientId: z.string().regex(/^[\x21-\x7e]{1,100}$/, 'printable ASCII without spaces, at most 100 characters'),
    /** Generated at start when absent (read it back from the resolved config). */
    clientSecret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
    /** Shown on the consent page: "<name> wants to administer users of <account>". */
    name: z.string().trim().min(1).max(100),
    redirectUris: z.array(redirectUriSchema).min(1),
  })
  .strict();

/** A client allowed to run the authorization code flow at `/restapi/oauth` (resolved: secret always set). */
export interface OAuthClientConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** True when no secret was configured and this one was made at start (a durable store then keeps the first one). */
  readonly secretGenerated?: boolean;
  readonly name: string;
  readonly redirectUris: readonly string[];
}

const urlSchema = publicUrlSchema.transform((u) => u.replace(/\/+$/, ''));

export const configSchema = z
  .object({
    /** Public origin of the harness, as browsers reach it. Default `http://localhost:<port>`. */
    baseUrl: urlSchema.optional(),
    /** Separate public origin for the IdP side (default: baseUrl). */
    idpBaseUrl: urlSchema.optional(),
    /** Separate public origin for the SP side (default: baseUrl). */
    spBaseUrl: urlSchema.optional(),
    /** Port to listen on (`--port`, `PORT`); 0 picks a free one. Default 8400. */
    port: START_OPTIONS.port.schema.default(8400),
    /** Interface to listen on. Default 127.0.0.1. */
    host: START_OPTIONS.host.schema.default('127.0.0.1'),
    /** Where generated keys (and the default SQLite database) live, reused across restarts. Default `./.sso-harness`. */
    dataDir: START_OPTIONS.dataDir.schema.default('.sso-harness'),
    /**
     * Where the state lives: `memory` (the default here: lost when the process stops), `sqlite`
     * (`<dataDir>/harness.db`, the default of `sso-harness start`), a SQLite file path, or a
     * `postgres://` URL (several instances sharing one state).
     */
    store: START_OPTIONS.store.schema.default('memory'),
    /**
     * Start on an empty state (`start --blank`): a SQLite file that holds state is moved aside
     * first (renamed beside it, never deleted); a PostgreSQL database that holds state is refused
     * with STORE_NOT_EMPTY, as other instances may be using it. Default false: the store is used
     * as it is.
     */
    startEmpty: z.boolean().default(false),
    /** Fixed keys (tests use fixtures/keys); otherwise generated into dataDir once. */
    keys: z
      .object({
        idp: keyPairSchema.optional(),
        sp: keyPairSchema.optional(),
        /** The SP's encryption key pair; giving it turns `sp.encryptionKey` on. */
        spEncryption: keyPairSchema.optional(),
      })
      .default({}),
    /** Admin API bearer token (`SSO_HARNESS_ADMIN_TOKEN`); generated when absent. */
    adminToken: START_OPTIONS.adminToken.schema.optional(),
    /** Seed the demo (users, groups, the RingCentral app and SP account, wired end to end). */
    demo: z.boolean().default(false),
    /** IdP flavour: JumpCloud (default) or Okta. */
    idpFlavor: START_OPTIONS.idpFlavor.schema.default('jumpcloud'),
    /**
     * The simulated offset of each side's clock from `clock`, in ms (positive: ahead), as when a
     * real IdP's or SP's clock is off. It moves the times that side reads and writes; what each
     * side tolerates is `idp.clockSkewSec` and the SP accounts' `sso.clockSkewSec`. Default 0.
     * Changed later through `harness.idp.clock.setOffset()` or `PUT /idp/api/clock`.
     */
    clockOffsetMs: clockOffsetSchema.default({}),
    /** How many SAML exchanges the trace keeps (oldest dropped first). Default 500. */
    traceLimit: z.number().int().min(0).default(500),
    /**
     * Most bytes of one message the trace keeps; a longer one is cut there and marked truncated
     * (the whole message was still checked). Default 64 KiB.
     */
    traceMaxMessageBytes: z.number().int().min(1024).default(64 * 1024),
    /** Most bytes the whole trace holds (oldest entries dropped first, and counted). Default 16 MiB. */
    traceMaxBytes: z.number().int().min(64 * 1024).default(16 * 1024 * 1024),
    /** scrypt cost for stored passwords. */
    passwordHashCost: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }).optional(),
    /** Largest JSON/form body accepted, in bytes. Default 1 MiB. */
    maxBodyBytes: z.number().int().positive().default(1024 * 1024),
    /**
     * How long a client may take to send a request; past it the connection gets 408 and is
     * closed, so clients sending a byte now and then cannot hold connections open. Far above what
     * a browser or a peer ever needs, even for a 1 MiB body on a slow link.
     */
    http: z
      .object({
        /** The request line and headers, in ms. Default 20 s. */
        headersTimeoutMs: z.number().int().positive().default(20_000),
        /** The whole request, headers and body, in ms. Default 60 s. */
        requestTimeoutMs: z.number().int().positive().default(60_000),
      })
      .refine((h) => h.headersTimeoutMs <= h.requestTimeoutMs, { message: 'headersTimeoutMs must not exceed requestTimeoutMs', path: ['headersTimeoutMs'] })
      .default({ headersTimeoutMs: 20_000, requestTimeoutMs: 60_000 }),
    /**
     * How long a start waits for another instance that is seeding the same (PostgreSQL) store,
     * in ms, before it gives up with SEED_WAIT_TIMEOUT. Default 2 min.
     */
    seedWaitMs: z.number().int().positive().default(120_000),
    idp: z
      .object({
        /** How long an assertion is valid, in seconds. Default 300. */
        assertionLifetimeSec: z.number().int().positive().default(300),
        /** How often the IdP suspends users whose password expired (JumpCloud's password expiry), in seconds. Default 60. */
        passwordSweepIntervalSec: z.number().int().positive().default(60),
        /** How long an IdP login session lasts, in seconds. Default 8 h. */
        sessionLifetimeSec: z.number().int().positive().default(8 * 3600),
        /**
         * Clock difference allowed between the IdP and an SP, in each direction, when the IdP reads
         * an AuthnRequest's IssueInstant, in seconds. Default 180 (the SP's default too).
         */
        clockSkewSec: allowedClockSkewSecSchema.default(180),
        /** How old an AuthnRequest (its IssueInstant, by the IdP's clock) may be when it arrives, in seconds. Default 300. */
        requestMaxAgeSec: requestMaxAgeSecSchema.default(300),
        /**
         * The Entra ID tenant (directory) id the harness plays, a GUID: the issuer
         * `https://sts.windows.net/{tenant-id}/` and the URLs of `entra` applications carry it.
         * Default: a GUID derived from the IdP signing certificate (stable across restarts).
         */
        entraTenantId: z
          .string()
          .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a GUID such as 38d49456-54d4-455d-a8d6-c383c71e0a6d')
          .optional()
          .describe('The Entra ID tenant id (a GUID) in the issuer and URLs of entra applications; default derived from the IdP signing certificate.'),
      })
      .default({ assertionLifetimeSec: 300, sessionLifetimeSec: 8 * 3600, passwordSweepIntervalSec: 60, clockSkewSec: 180, requestMaxAgeSec: 300 }),
    sp: z
      .object({
        /** The SP entity ID (RingCentral's is https://sso.ringcentral.com). Default `<spBaseUrl>/sp`. */
        entityId: z.string().min(1).optional(),
        /** Sign AuthnRequests (and say so in the SP metadata). Default true. */
        signAuthnRequests: z.boolean().default(true),
        /** How long an AuthnRequest stays answerable, in seconds. Default 600. */
        requestLifetimeSec: z.number().int().positive().default(600),
        /**
         * Most SP-initiated logins in progress (outstanding AuthnRequests) at once. None is ever
         * forgotten to make room: past this, `/sp/login` answers 503 SP_LOGIN_BUSY with Retry-After
         * until some finish or expire. Default 100,000.
         */
        maxOutstandingRequests: z.number().int().positive().default(100_000),
        /** How long an SP session lasts, in seconds. Default 8 h. */
        sessionLifetimeSec: z.number().int().positive().default(8 * 3600),
        /** Time allowed for an IdP metadata URL to answer, in ms. Default 5000. */
        metadataFetchTimeoutMs: z.number().int().positive().default(5000),
        /** Largest IdP metadata document accepted, in bytes. Default 1 MiB. */
        metadataMaxBytes: z.number().int().positive().default(1024 * 1024),
        /**
         * Give the SP an encryption key pair (`keys.spEncryption`, else generated into dataDir as
         * `sp-enc.*.pem`), publish its certificate in the SP metadata (KeyDescriptor
         * use="encryption") and let accounts turn `decryptAssertions` on. Default false: RingCentral
         * publishes no encryption certificate and decrypts nothing.
         */
        encryptionKey: z.boolean().default(false),
        /**
         * OAuth 2.0 clients that may run the authorization code flow at `/restapi/oauth` ("Authorize"
         * in JumpCloud's Identity Management tab, "Authenticate with RingCentral" in Okta) and so get
         * SCIM bearer tokens. Each is `{ clientId, clientSecret?, name, redirectUris }`; a missing
         * secret is generated at start. A redirect URI matches by exact string comparison, except
         * that a `*` stands for one whole path segment (letters, digits, `-._~`, not starting with a
         * dot). Giving this list replaces the default.
         *
         * Default: one client for this harness's own IdP: clientId `sso-harness-idp`, name
         * `JumpCloud` (`Okta` when idpFlavor is okta), a secret generated at start, and one redirect
         * URI pattern, `<idpBaseUrl>/idp/apps/<*>/idm/callback` written with a bare `*`: the
         * Identity Management callback of any IdP application. The IdP side reads these
         * credentials from the resolved `config.sp.oauthClients` (HARNESS_IDP_CLIENT_ID) and
         * talks to the SP over HTTP only.
         */
        oauthClients: z
          .array(oauthClientSchema)
          .min(1)
          .superRefine((clients, ctx) => {
            const seen = new Set<string>();
            clients.forEach((c, i) => {
              if (seen.has(c.clientId)) ctx.addIssue({ code: 'custom', path: [i, 'clientId'], message: `duplicate clientId ${c.clientId}` });
              seen.add(c.clientId);
            });
          })
          .optional(),
      })
      .default({
        signAuthnRequests: true,
        requestLifetimeSec: 600,
        maxOutstandingRequests: 100_000,
        sessionLifetimeSec: 8 * 3600,
        metadataFetchTimeoutMs: 5000,
        metadataMaxBytes: 1024 * 1024,
        encryptionKey: false,
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
  readonly store: StoreSpec;
  readonly startEmpty: boolean;
  readonly keys: { readonly idp?: KeyPairPem; readonly sp?: KeyPairPem; readonly spEncryption?: KeyPairPem };
  readonly adminToken: string;
  readonly adminTokenGenerated: boolean;
  readonly demo: boolean;
  readonly idpFlavor: IdpFlavor;
  readonly clockOffsetMs: { readonly idp: number; readonly sp: number };
  readonly traceLimit: number;
  readonly traceMaxMessageBytes: number;
  readonly traceMaxBytes: number;
  readonly passwordHashCost: PasswordHashCost;
  readonly maxBodyBytes: number;
  readonly http: { readonly headersTimeoutMs: number; readonly requestTimeoutMs: number };
  readonly seedWaitMs: number;
  readonly idp: {
    readonly assertionLifetimeSec: number;
    readonly sessionLifetimeSec: number;
    readonly passwordSweepIntervalSec: number;
    readonly clockSkewSec: number;
    readonly requestMaxAgeSec: number;
    readonly entraTenantId?: string;
  };
  readonly sp: {
    readonly entityId: string;
    readonly signAuthnRequests: boolean;
    readonly requestLifetimeSec: number;
    readonly maxOutstandingRequests: number;
    readonly sessionLifetimeSec: number;
    readonly metadataFetchTimeoutMs: number;
    readonly metadataMaxBytes: number;
    /** The SP has an encryption key pair (see the schema above). */
    readonly encryptionKey: boolean;
    /** The OAuth clients, secrets filled in (see the schema above for the default). */
    readonly oauthClients: readonly OAuthClientConfig[];
  };
  readonly clock: ControllableClock;
  readonly fetch: typeof fetch;
  readonly log: (line: string) => void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function resolveOAuthClients(
  input: z.output<typeof oauthClientSchema>[] | undefined,
  idpBaseUrl: string,
  flavor: IdpFlavor,
): readonly OAuthClientConfig[] {
  const clients = input ?? [
    {
      clientId: HARNESS_IDP_CLIENT_ID,
      name: FLAVOR_NAMES[flavor],
      redirectUris: [`${idpBaseUrl}/idp/apps/*/idm/callback`],
    },
  ];
  return Object.freeze(
    clients.map((c) =>
      Object.freeze({
        clientId: c.clientId,
        clientSecret: c.clientSecret ?? randomBytes(32).toString('base64url'),
        ...(c.clientSecret === undefined && { secretGenerated: true }),
        name: c.name,
        redirectUris: Object.freeze([...c.redirectUris]),
      }),
    ),
  );
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
  // Empty counts as unset, as compose files write `SSO_HARNESS_ADMIN_TOKEN=` for "not given".
  const envToken = env[START_OPTIONS.adminToken.variable] || undefined;
  if (c.adminToken === undefined && envToken !== undefined && !START_OPTIONS.adminToken.schema.safeParse(envToken).success) {
    throw new HarnessError('CONFIG_INVALID', startOptionRefusal(START_OPTIONS.adminToken, START_OPTIONS.adminToken.variable, envToken));
  }
  if (c.traceMaxBytes < c.traceMaxMessageBytes) {
    throw new HarnessError('CONFIG_INVALID', `invalid configuration: traceMaxBytes (${c.traceMaxBytes}) is smaller than traceMaxMessageBytes (${c.traceMaxMessageBytes})`, {
      fields: { traceMaxBytes: `must be at least traceMaxMessageBytes (${c.traceMaxMessageBytes})` },
    });
  }
  const adminToken = c.adminToken ?? envToken ?? commandLineSafeToken(24);
  const baseUrl = c.baseUrl ?? `http://localhost:${c.port}`;
  const spBaseUrl = c.spBaseUrl ?? baseUrl;
  const idpBaseUrl = c.idpBaseUrl ?? baseUrl;
  const { oauthClients, ...sp } = c.sp;
  const resolved: ResolvedConfig = {
    baseUrl,
    idpBaseUrl,
    spBaseUrl,
    port: c.port,
    host: c.host,
    dataDir: resolve(c.dataDir),
    store: parseStoreSpec(c.store, resolve(c.dataDir)),
    startEmpty: c.startEmpty,
    keys: c.keys,
    adminToken,
    adminTokenGenerated: c.adminToken === undefined && envToken === undefined,
    demo: c.demo,
    idpFlavor: c.idpFlavor,
    clockOffsetMs: Object.freeze({ idp: c.clockOffsetMs.idp ?? 0, sp: c.clockOffsetMs.sp ?? 0 }),
    traceLimit: c.traceLimit,
    traceMaxMessageBytes: c.traceMaxMessageBytes,
    traceMaxBytes: c.traceMaxBytes,
    passwordHashCost: c.passwordHashCost ?? DEFAULT_PASSWORD_COST,
    maxBodyBytes: c.maxBodyBytes,
    http: c.http,
    seedWaitMs: c.seedWaitMs,
    idp: c.idp,
    sp: {
      ...sp,
      entityId: c.sp.entityId ?? `${spBaseUrl}/sp`,
      encryptionKey: c.sp.encryptionKey || c.keys.spEncryption !== undefined,
      oauthClients: resolveOAuthClients(oauthClients, idpBaseUrl, c.idpFlavor),
    },
    clock: clock ?? new ControllableClock(),
    fetch: fetchImpl ?? globalThis.fetch,
    log: log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  return Object.freeze(resolved);
}
