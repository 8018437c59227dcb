// Input shapes accepted by the SP (admin API and library), checked with zod.
import { z } from 'zod';
import { addressSchema } from '../address.js';
import { idpCertificatesInput } from './idp-certificates.js';
import { DIRECTORY_PROVIDERS, SCIM_RULE_NAMES, SCIM_RULES, type ScimRuleName } from './model.js';
import { SP_PLANS } from './plans.js';

const text = (max = 200) => z.string().trim().min(1).max(max);

export const accountInput = z
  .object({
    name: text(100).describe("The account's display name."),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional()
      .describe('Lower-case letters, digits and dashes; a random UUID when absent.'),
    plan: z
      .enum(SP_PLANS)
      .optional()
      .describe('The RingCentral plan: `essentials`, `standard`, `premium` or `enterprise`. SSO and Identity Management need Premium or Enterprise (`SP_PLAN_NOT_ALLOWED`). Default `premium`.'),
  })
  .strict();
export type AccountInput = z.input<typeof accountInput>;

/** `PATCH /sp/api/accounts/:id`: the account's own settings (its name and plan). */
export const accountSettingsInput = accountInput.pick({ name: true, plan: true }).partial().strict();
export type AccountSettingsInput = z.input<typeof accountSettingsInput>;

export const emailMappingInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('attribute'), name: text(200) }).strict(),
  z.object({ kind: z.literal('custom'), name: text(200) }).strict(),
  z.object({ kind: z.literal('nameid') }).strict(),
]);

export const ssoSettingsInput = z
  .object({
    emailMapping: emailMappingInput.describe(
      '"Map Email Attribute to": `{"kind":"attribute","name":…}` (an attribute the imported metadata offers), `{"kind":"custom","name":…}` (any attribute name) or `{"kind":"nameid"}`. Required before SSO can be enabled. Default: not mapped.',
    ),
    enabled: z.boolean().describe('"Enable SSO": SAML logins for the account. Needs imported IdP metadata and an email mapping. Default false.'),
    loginMode: z
      .enum(['sso-only', 'sso-or-password'])
      .describe('"Manage Your Login": SSO only, or SSO or the RingCentral password (`/sp/login/password`). Default `sso-or-password`.'),
    allowUnsolicited: z.boolean().describe('Accept unsolicited (IdP-initiated) responses; RingCentral works SP-initiated only (`SAML_UNSOLICITED`). Default false.'),
    clockSkewSec: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .describe('Clock difference allowed with the IdP when checking NotBefore / NotOnOrAfter, in seconds. Default 180.'),
    requireNumberAttribute: z
      .boolean()
      .describe('Require the `number` attribute in the assertion, as RingCentral does (`SAML_ATTRIBUTE_NUMBER`); switch off for an IdP that sends none. Default true.'),
    allowSha1: z.boolean().describe('Accept RSA-SHA1 signatures and SHA-1 digests (old IdPs; `SAML_SIGNATURE_ALGORITHM` otherwise). Default false.'),
    allowExpiredCertificate: z
      .boolean()
      .describe('Accept a response signed with a pinned IdP certificate that has expired (`SAML_CERTIFICATE_EXPIRED` otherwise, as RingCentral). Default false.'),
    decryptAssertions: z
      .boolean()
      .describe('Decrypt an EncryptedAssertion with the SP encryption key; refused when the SP has none. Off, as RingCentral: `SAML_ENCRYPTED_ASSERTION`. Default false.'),
    allowRsa15: z.boolean().describe('Accept RSA PKCS#1 v1.5 key transport when decrypting (Bleichenbacher); `SAML_ENCRYPTION_ALGORITHM` otherwise. Default false.'),
    allowCbc: z.boolean().describe('Accept AES-CBC content encryption when decrypting (padding oracle); `SAML_ENCRYPTION_ALGORITHM` otherwise. Default false.'),
    singleLogout: z
      .boolean()
      .describe("Single Logout: list the SP's SingleLogoutService in the account's metadata, send and answer LogoutRequests. RingCentral has none (`SLO_NOT_ENABLED`). Default false."),
    idpCertificates: idpCertificatesInput.describe(
      'The Primary and Secondary IdP certificate slots (PEM or base64 DER; `"secondary": null` empties it). Importing metadata fills them from its first two signing certificates.',
    ),
  })
  .partial()
  .strict();
export type SsoSettingsInput = z.input<typeof ssoSettingsInput>;

export const metadataImportInput = z.union([
  z.object({ url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL') }).strict(),
  z.object({ xml: z.string().min(1) }).strict(),
]);
export type MetadataImportInput = z.input<typeof metadataImportInput>;

export const spUserInput = z
  .object({
    email: z.string().trim().email(),
    firstName: text(100),
    lastName: text(100),
    number: z.string().trim().max(30).optional(),
    extension: z
      .string()
      .trim()
      .regex(/^\d{3,8}$/, '3 to 8 digits, such as 101')
      .optional()
      .describe('The extension number the user holds in the account (3 to 8 digits); none when absent.'),
    department: z.string().trim().max(100).optional(),
    addresses: z.array(addressSchema).max(10).default([]),
    status: z.enum(['active', 'inactive', 'pending']).default('active'),
    role: z.enum(['user', 'user-admin', 'super-admin']).default('user'),
    password: z.string().min(8, 'at least 8 characters').max(200).optional(),
  })
  .strict();
export type SpUserInput = z.input<typeof spUserInput>;

export const activationInput = z.object({ password: spUserInput.shape.password.unwrap() }).partial().strict();

export const spUserPatch = spUserInput.partial().strict();
export type SpUserPatch = z.input<typeof spUserPatch>;

const ruleSwitches = z
  .object(Object.fromEntries(SCIM_RULE_NAMES.map((r) => [r, z.boolean().describe(SCIM_RULES[r])])) as Record<ScimRuleName, z.ZodBoolean>)
  .partial()
  .strict();

/** `PATCH /sp/api/accounts/:id/scim`: rules are merged; `extensions` replaces the whole pool list. */
export const scimSettingsInput = z
  .object({
    rules: ruleSwitches.describe('The RingCentral SCIM rules to switch, merged into the current ones (all on for a new account); see docs/scim.md.'),
    extensions: z
      .array(
        z
          .object({
            country: z
              .string()
              .trim()
              .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US'),
            available: z.number().int().min(0).max(100_000),
          })
          .strict(),
      )
      .max(250)
      .refine((pools) => new Set(pools.map((p) => p.country.toUpperCase())).size === pools.length, 'one entry per country')
      .describe('Unassigned extensions per country (rule addressCountryNeedsExtension); replaces the whole list. Default 50 US and 20 GB.'),
    digitalLines: z.number().int().min(0).max(100_000).describe('Unused DigitalLines licences (rule digitalLinesRequired). Default 50.'),
    rateLimits: z
      .boolean()
      .describe('RingCentral-shaped SCIM throttling: Heavy (writes) 10 and Light (reads) 50 requests per 60 s, then 429 with Retry-After. Default false.'),
    directoryProvider: z
      .enum(DIRECTORY_PROVIDERS)
      .describe(
        'Directory Integrations → Directory Provider: `scim` lets Microsoft Entra ID\'s provisioning client in (Microsoft\'s RingCentral tutorial sets it first); with `none` the SCIM API refuses Entra ID\'s requests (403 SCIM_DIRECTORY_PROVIDER) and serves every other client. Default none.',
      ),
  })
  .partial()
  .strict();
export type ScimSettingsInput = z.input<typeof scimSettingsInput>;

/**
 * A redirect URI an outside OAuth client may register: matched exactly at /authorize, so no `*`.
 * https anywhere, or http on a loopback host only (RFC 8252 §7.3, for a client on the tester's
 * machine); no fragment (RFC 6749 §3.1.2) and no user name or password.
 */
export const outsideRedirectUri = z
  .string()
  .max(2000)
  .refine((u) => URL.canParse(u), 'must be an absolute URL')
  .refine((u) => {
    const url = new URL(u);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  }, 'must be https, or http on localhost, 127.0.0.1 or [::1]')
  .refine((u) => !u.includes('#'), 'must not have a fragment')
  .refine((u) => !u.includes('*'), 'is matched exactly: no `*` patterns')
  .refine((u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''), 'must not carry a user name or password');

/** A client id: printable ASCII without spaces (it travels in URLs and HTTP Basic). */
export const oauthClientId = z.string().regex(/^[A-Za-z0-9._~-]{8,100}$/, '8-100 letters, digits and . _ ~ -');

/**
 * A secret chosen by whoever registers the client (the config file, to keep Okta's settings
 * valid across restarts): stored as a SHA-256, so it must be as hard to guess as a generated one.
 */
export const chosenSecret = z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)').max(200);

/** `POST /sp/api/accounts/:id/oauth-clients`: an outside client (Okta, a connector) of this account. */
export const accountOAuthClientInput = z
  .object({
    name: text(100),
    redirectUris: z.array(outsideRedirectUri).min(1).max(10),
    /** Generated when absent. */
    clientId: oauthClientId.optional(),
    /** Generated when absent; either way shown once, in the answer to the creation. */
    clientSecret: chosenSecret.optional(),
  })
  .strict();
export type AccountOAuthClientInput = z.input<typeof accountOAuthClientInput>;

/** `POST /sp/api/accounts/:id/scim-tokens`: a static bearer token for the account's SCIM API. */
export const scimTokenInput = z.object({ name: text(100) }).strict();
export type ScimTokenInput = z.input<typeof scimTokenInput>;
