// Input shapes accepted by the IdP (admin API and library), checked with zod.
import { z } from 'zod';
import { addressSchema } from '../address.js';
import { NAMEID_FORMAT } from '../saml/urn.js';
import { USER_PROPERTIES } from './model.js';

const text = (max = 200) => z.string().trim().min(1).max(max);

const userFields = z
  .object({
    email: z.string().trim().email(),
    username: text(100).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits, . _ @ - only').optional(),
    firstName: text(100),
    lastName: text(100),
    number: z.string().trim().regex(/^\+?[0-9 ()-]{3,30}$/, 'a phone number such as +16505550100').optional(),
    department: z.string().trim().max(100).optional(),
    addresses: z.array(addressSchema).max(10),
    password: z.string().min(8, 'at least 8 characters').max(200),
    suspended: z.boolean(),
    passwordExpired: z.boolean(),
    /** When the password expires (ISO 8601, harness clock); the sweep then suspends the user. */
    passwordExpiresAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const userInput = userFields
  .extend({
    passwordExpiresAt: userFields.shape.passwordExpiresAt.optional(),
    addresses: userFields.shape.addresses.default([]),
    suspended: userFields.shape.suspended.default(false),
    passwordExpired: userFields.shape.passwordExpired.default(false),
  })
  .strict();
export type UserInput = z.input<typeof userInput>;

// No defaults here: a patch changes only what it names (`null` clears the password expiry).
export const userPatch = userFields
  .partial()
  .extend({ passwordExpiresAt: userFields.shape.passwordExpiresAt.nullable().optional() })
  .strict();
export type UserPatch = z.input<typeof userPatch>;

export const groupInput = z.object({ name: text(100), members: z.array(z.string()).default([]) }).strict();
export type GroupInput = z.input<typeof groupInput>;

const appId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes (it is part of the SSO URL)');

const acsInput = z
  .object({
    url: z.string().url(),
    binding: z.string().optional(),
    index: z.number().int().min(0).optional(),
    isDefault: z.boolean().optional(),
  })
  .strict();

export const appSettings = z
  .object({
    displayLabel: text(100),
    description: z.string().max(500),
    ssoActive: z.boolean(),
    idpEntityId: text(500),
    spEntityId: z.string().trim().max(500),
    acsUrls: z.array(acsInput).max(20),
    loginUrl: z.string().max(500),
    /** Replaces every `<mydomain>` placeholder in the SP values. */
    mydomain: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+(:[0-9]+)?$/, 'a host name, optionally with :port'),
    nameIdProperty: z.enum(USER_PROPERTIES),
    nameIdFormat: z.enum(Object.keys(NAMEID_FORMAT) as [keyof typeof NAMEID_FORMAT, ...(keyof typeof NAMEID_FORMAT)[]]),
    signAssertion: z.boolean(),
    signResponse: z.boolean(),
    signatureAlgorithm: z.enum(['rsa-sha256', 'rsa-sha512', 'rsa-sha1']),
    /** "Encrypt assertion": merged into the current setting. `rsa-1_5` is insecure and shown as such. */
    encryption: z
      .object({
        enabled: z.boolean(),
        dataAlgorithm: z.enum(['aes256-gcm', 'aes128-gcm', 'aes256-cbc']),
        keyTransport: z.enum(['rsa-oaep', 'rsa-1_5']),
      })
      .partial()
      .strict(),
    attributes: z
      .array(z.object({ name: text(200), property: z.enum(USER_PROPERTIES) }).strict())
      .max(50),
    groups: z.array(z.string()).max(100),
    responseScenario: z.string().max(100),
    signMetadata: z.boolean(),
  })
  .partial()
  .strict()
  .refine((s) => s.signAssertion !== false || s.signResponse !== false, {
    message: 'sign the assertion, the response, or both',
    path: ['signAssertion'],
  });
export type AppSettings = z.input<typeof appSettings>;

export const appInput = z
  .object({ template: z.string().default('custom-saml'), id: appId.optional() })
  .passthrough();
