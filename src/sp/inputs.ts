// Input shapes accepted by the SP (admin API and library), checked with zod.
import { z } from 'zod';
import { addressSchema } from '../address.js';
import { idpCertificatesInput } from './idp-certificates.js';
import { SCIM_RULE_NAMES, type ScimRuleName } from './model.js';

const text = (max = 200) => z.string().trim().min(1).max(max);

export const accountInput = z.object({ name: text(100), id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional() }).strict();
export type AccountInput = z.input<typeof accountInput>;

export const emailMappingInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('attribute'), name: text(200) }).strict(),
  z.object({ kind: z.literal('custom'), name: text(200) }).strict(),
  z.object({ kind: z.literal('nameid') }).strict(),
]);

export const ssoSettingsInput = z
  .object({
    emailMapping: emailMappingInput,
    enabled: z.boolean(),
    loginMode: z.enum(['sso-only', 'sso-or-password']),
    allowUnsolicited: z.boolean(),
    clockSkewSec: z.number().int().min(0).max(3600),
    requireNumberAttribute: z.boolean(),
    allowSha1: z.boolean(),
    allowExpiredCertificate: z.boolean(),
    decryptAssertions: z.boolean(),
    allowRsa15: z.boolean(),
    allowCbc: z.boolean(),
    singleLogout: z.boolean(),
    /** RingCentral's Primary and Secondary IdP certificate slots (`secondary: null` empties it). */
    idpCertificates: idpCertificatesInput,
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
  .object(Object.fromEntries(SCIM_RULE_NAMES.map((r) => [r, z.boolean()])) as Record<ScimRuleName, z.ZodBoolean>)
  .partial()
  .strict();

/** `PATCH /sp/api/accounts/:id/scim`: rules are merged; `extensions` replaces the whole pool list. */
export const scimSettingsInput = z
  .object({
    rules: ruleSwitches,
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
      .refine((pools) => new Set(pools.map((p) => p.country.toUpperCase())).size === pools.length, 'one entry per country'),
    digitalLines: z.number().int().min(0).max(100_000),
    rateLimits: z.boolean(),
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
