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
