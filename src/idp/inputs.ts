// Input shapes accepted by the IdP (admin API and library), checked with zod.
import { z } from 'zod';
import { addressSchema } from '../address.js';
import { NAMEID_FORMAT } from '../saml/urn.js';
import { adminEmailField } from './admin-email.js';
import { SAML_ID_STYLES } from '../saml/ids.js';
import { ATTRIBUTE_NAME_FORMATS, IDP_FLAVORS, USER_PROPERTIES } from './model.js';
import { customAttributeName, customAttributesSchema, phoneNumberSchema, phoneValue } from './user-attributes.js';

const text = (max = 200) => z.string().trim().min(1).max(max);

const userFields = z
  .object({
    email: z.string().trim().email(),
    username: text(100).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits, . _ @ - only').optional(),
    firstName: text(100),
    lastName: text(100),
    /** The older single-number input: the work phone number. */
    number: phoneValue.optional(),
    phoneNumbers: z.array(phoneNumberSchema).max(10),
    department: z.string().trim().max(100).optional(),
    addresses: z.array(addressSchema).max(10),
    customAttributes: customAttributesSchema,
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
    phoneNumbers: userFields.shape.phoneNumbers.optional(),
    customAttributes: userFields.shape.customAttributes.default([]),
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

/** `PUT /idp/api/groups/:id/apps`: the applications the group may use, exactly. */
export const groupAppsInput = z
  .object({
    apps: z
      .array(z.string().min(1).max(100))
      .max(100)
      .describe('The application ids the group is bound to; replaces the list (the same bindings as each application\'s `groups`).'),
  })
  .strict();

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

/** How many attribute statements an application carries, at most. */
export const MAX_ATTRIBUTE_STATEMENTS = 50;

/** One attribute and its one source: a user property, a custom attribute, or a constant. */
const attributeStatementInput = z
  .object({
    name: text(200),
    property: z.enum(USER_PROPERTIES).optional(),
    customAttribute: customAttributeName.optional(),
    constant: z.string().max(1000).optional(),
  })
  .strict()
  .refine((a) => [a.property, a.customAttribute, a.constant].filter((x) => x !== undefined).length === 1, {
    message: 'give one source: property, customAttribute or constant',
  })
  .transform((a) =>
    a.property !== undefined
      ? { name: a.name, property: a.property }
      : a.customAttribute !== undefined
        ? { name: a.name, customAttribute: a.customAttribute }
        : { name: a.name, constant: a.constant ?? '' },
  );

const appSettingsFields = z
  .object({
    displayLabel: text(100).describe('The label users see in the portal. Default: the catalogue entry\'s name.'),
    description: z.string().max(500).describe('Free text shown in the console.'),
    ssoActive: z.boolean().describe('"SSO active": off, the IdP refuses the application\'s AuthnRequests (`IDP_SSO_INACTIVE`). Default true.'),
    idpEntityId: text(500).describe(
      "The IdP entity ID (the Issuer). Default: the application's metadata URL without `/metadata`; for `entra`, Entra ID's `https://sts.windows.net/{tenant-id}/`.",
    ),
    spEntityId: z.string().trim().max(500).describe('The SP entity ID (the Audience); uploading SP metadata sets it.'),
    acsUrls: z
      .array(acsInput)
      .max(20)
      .describe('The SP\'s ACS URLs (binding default HTTP-POST; index default the position; the first is the default); uploading SP metadata sets them.'),
    loginUrl: z.string().max(500).describe("The SP's login URL, where the portal sends a user (SP-initiated)."),
    /** Replaces every `<mydomain>` placeholder in the SP values. */
    mydomain: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+(:[0-9]+)?$/, 'a host name, optionally with :port')
      .describe('Replaces every `<mydomain>` placeholder of the catalogue template in the SP values (host, optionally `:port`).'),
    nameIdProperty: z.enum(USER_PROPERTIES).describe('The user property sent as the NameID. Default `email`.'),
    nameIdFormat: z
      .enum(Object.keys(NAMEID_FORMAT) as [keyof typeof NAMEID_FORMAT, ...(keyof typeof NAMEID_FORMAT)[]])
      .describe(
        'The NameID format: `unspecified10` is the SAML 1.0 spelling of unspecified that JumpCloud sends. Default: `unspecified10` for a `jumpcloud` application (as real JumpCloud responses), `emailAddress` for `okta` and `entra`.',
      ),
    signAssertion: z.boolean().describe('Sign the assertion. Default true; at least one of signAssertion and signResponse stays on.'),
    signResponse: z.boolean().describe('Sign the Response. Default false.'),
    signatureAlgorithm: z
      .enum(['rsa-sha256', 'rsa-sha512', 'rsa-sha1'])
      .describe('The signature algorithm (the digest follows it). Default `rsa-sha256`; `rsa-sha1` only for SPs that need it.'),
    /** "Encrypt assertion": merged into the current setting. `rsa-1_5` is insecure and shown as such. */
    encryption: z
      .object({
        enabled: z.boolean(),
        dataAlgorithm: z.enum(['aes256-gcm', 'aes128-gcm', 'aes256-cbc']),
        keyTransport: z.enum(['rsa-oaep', 'rsa-1_5']),
      })
      .partial()
      .strict()
      .describe(
        '"Encrypt assertion", merged into the current setting: `enabled` (default false), `dataAlgorithm` (default `aes256-gcm`), `keyTransport` (default `rsa-oaep`; `rsa-1_5` is shown as insecure). Encrypts to the SP metadata\'s encryption certificate.',
      ),
    attributes: z
      .array(attributeStatementInput)
      .max(MAX_ATTRIBUTE_STATEMENTS)
      .describe(
        'The attribute statement, replacing the list: each attribute `name` and its source, one of `property` (a user property), `customAttribute` (the name of a user\'s custom attribute) or `constant` (the same value for everyone). RingCentral\'s template has `email` and `number`.',
      ),
    groups: z.array(z.string()).max(100).describe('The bound user groups (ids); replaces the list. Users are implicitly denied until a group of theirs is bound.'),
    users: z
      .array(z.string())
      .max(1000)
      .describe('The users assigned directly (ids), as Okta assigns an application to people; replaces the list. They sign in and are provisioned like members of a bound group.'),
    flavor: z
      .enum(IDP_FLAVORS)
      .describe(
        "Whose application this is: `jumpcloud`, `okta` or `entra` (its console pages, its provisioning client's call sequence, its URL shapes and metadata; at creation also its SAML defaults, docs/vendor-traits.md). Default: the harness's `idpFlavor`.",
      ),
    responseScenario: z
      .string()
      .max(100)
      .describe('The response scenario sent for every login (`GET /idp/api/scenarios`). Default `valid`.'),
    signMetadata: z.boolean().describe('Sign the published IdP metadata with the current key. Default false.'),
    idpInitiated: z
      .boolean()
      .describe("The portal tile sends an unsolicited Response (IdP-initiated) instead of opening the SP's login URL. Default false: RingCentral works SP-initiated only."),
    defaultRelayState: z
      .string()
      .trim()
      .max(500)
      .describe('The RelayState of an IdP-initiated Response (where the SP lands the user), e.g. `/sp/home`. Default none.'),
    declareRedirectEndpoint: z
      .boolean()
      .describe(
        'JumpCloud\'s "Declare Redirect Endpoint": the metadata lists an HTTP-Redirect SingleSignOnService beside the HTTP-POST one (the SSO URL takes both either way). Default: `jumpcloud` false, real JumpCloud\'s shape (its metadata lists only HTTP-POST unless the box is checked; the SP then posts its AuthnRequest); `okta` and `entra` true, as their metadata lists both (an application stored without the setting keeps Redirect declared).',
      ),
    assertionValidity: z
      .object({
        notBeforeSec: z.number().int().min(0).max(86_400),
        notOnOrAfterSec: z.number().int().min(1).max(86_400),
      })
      .strict()
      .describe(
        "The assertion's validity window around its issue instant, in seconds: Conditions/@NotBefore `notBeforeSec` before, NotOnOrAfter `notOnOrAfterSec` after. Default: `jumpcloud` 300/300 (about ±5 minutes, as real JumpCloud responses), `entra` 300/3600 (as Entra ID), `okta` 60 before and the IdP's `assertionLifetimeSec` after.",
      ),
    idStyle: z
      .enum(SAML_ID_STYLES)
      .describe(
        'How Response and Assertion IDs are spelled: `jumpcloud` (40 characters), `okta` (`id` + 26 digits), `entra` (`_` + a GUID) or `harness` (`_` + 40 hex digits). Default: the flavour\'s.',
      ),
    attributeNameFormat: z
      .enum(ATTRIBUTE_NAME_FORMATS)
      .describe('The NameFormat of every attribute: `basic`, `uri`, `unspecified`, or `omitted` (as Entra ID sends its URI-named claims). Default: `omitted` for `entra`, else `basic`.'),
    ssoRateLimit: z
      .boolean()
      .describe(
        "Okta's per-application SSO rate limit: more than 750 SSO requests a minute get 429 with Okta's X-Rate-Limit-* headers (`IDP_SSO_RATE_LIMITED`). Default false.",
      ),
    adminEmail: adminEmailField.describe(
      "The SP administrator's email, URL-encoded as JumpCloud's RingCentral configuration asks (`admin%40acme.test`); stored decoded and shown decoded on the SSO tab. Empty clears it.",
    ),
  })
  .partial()
  .strict();

const signsSomething = (s: { signAssertion?: boolean; signResponse?: boolean }): boolean => s.signAssertion !== false || s.signResponse !== false;
const signsSomethingMessage = { message: 'sign the assertion, the response, or both', path: ['signAssertion'] };

export const appSettings = appSettingsFields.refine(signsSomething, signsSomethingMessage);
export type AppSettings = z.input<typeof appSettings>;

/** "+ Add New Application": a catalogue template, an optional id, and any of the settings. */
export const appCreateInput = appSettingsFields
  .extend({
    template: z.string().default('custom-saml').describe('The catalogue entry (`GET /idp/api/catalogue`): `ringcentral` or `custom-saml` (default).'),
    id: appId.optional().describe('The application id (part of its SSO and metadata URLs); default the template id, numbered when taken.'),
  })
  .strict()
  .refine(signsSomething, signsSomethingMessage);
export type AppCreateInput = z.input<typeof appCreateInput>;

/** `PUT /idp/api/next-response`: the scenario for the next response only. */
export const nextResponseInput = z
  .object({
    scenario: z.string().min(1).max(100).describe('A scenario id from `GET /idp/api/scenarios`.'),
    app: z.string().min(1).max(100).optional().describe('Only for this application; any application when absent.'),
  })
  .strict();

/** Ten years: beyond any certificate or token a test moves time for, and far inside Date's range. */
const MAX_OFFSET_MS = 10 * 366 * 24 * 3600 * 1000;

const offsetMs = z.number().min(-MAX_OFFSET_MS).max(MAX_OFFSET_MS);

/** `PUT /idp/api/clock`: the simulated offset of the IdP clock (not the clock skew it tolerates). */
export const clockOffsetInput = z
  .object({
    offsetMs: offsetMs.optional().describe('How far the IdP clock runs ahead of the harness clock, in ms (negative: behind; 0 resets it).'),
    skewMs: offsetMs.optional().describe('The older name of `offsetMs`, still accepted.'),
  })
  .strict()
  .refine((b) => (b.offsetMs === undefined) !== (b.skewMs === undefined), { message: 'give offsetMs (or its older name skewMs), once', path: ['offsetMs'] })
  .transform((b) => ({ offsetMs: (b.offsetMs ?? b.skewMs)! }));

/** SP metadata as JSON; it may also come as the raw XML body. */
export const spMetadataUpload = z.object({ xml: z.string().trim().min(1).describe('The SP metadata XML.') }).strict();
