// An application's Provisioning tab settings, as Okta's RingCentral integration has them:
// the API integration (enabled, Import Groups), To App (which changes are pushed, and the
// attribute mappings) and To Okta (import schedule, matching rule, confirmation). Kept with the
// application's Identity Management state; an application never edited has the defaults, which
// push everything, as the JumpCloud connector always does.
import { z } from 'zod';
import { customAttributeName } from './user-attributes.js';

export const IMPORT_SCHEDULES = ['never', 'hourly', 'daily'] as const;
export type ImportSchedule = (typeof IMPORT_SCHEDULES)[number];

export const MATCH_RULES = ['email', 'username'] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

/** Where RingCentral's `department` comes from: the user's department, a custom attribute (`custom:NAME`), or nowhere. */
export type DepartmentSource = 'department' | `custom:${string}` | null;

export interface ToAppSettings {
  /** Create Users: an assigned user without an SP account gets one. */
  createUsers: boolean;
  /** Update User Attributes: changes to an assigned user's profile are pushed. */
  updateUserAttributes: boolean;
  /** Deactivate Users: unassigned, suspended or deleted users are deactivated (and reactivated when assigned again). */
  deactivateUsers: boolean;
  /** The optional RingCentral attributes and what each takes; null: not sent. userName, names and email are always sent. */
  attributeMappings: {
    phoneNumbers: 'phoneNumbers' | null;
    addresses: 'addresses' | null;
    department: DepartmentSource;
  };
}

export interface ToOktaSettings {
  importSchedule: ImportSchedule;
  /** How an SP user is matched to an IdP user on import: by email, or userName to username. */
  matchBy: MatchRule;
  /** A scheduled import creates the New users itself instead of only listing them. */
  confirmNewUsers: boolean;
}

export interface ProvisioningSettings {
  /** "Enable API Integration": required before "Authenticate with RingCentral". */
  apiIntegration: boolean;
  /** Okta's "Import Groups"; RingCentral's SCIM API serves no groups, so it imports none either way. */
  importGroups: boolean;
  toApp: ToAppSettings;
  toOkta: ToOktaSettings;
}

export const DEFAULT_PROVISIONING_SETTINGS: ProvisioningSettings = {
  apiIntegration: false,
  importGroups: true,
  toApp: {
    createUsers: true,
    updateUserAttributes: true,
    deactivateUsers: true,
    attributeMappings: { phoneNumbers: 'phoneNumbers', addresses: 'addresses', department: 'department' },
  },
  toOkta: { importSchedule: 'never', matchBy: 'email', confirmNewUsers: false },
};

/** The stored settings over the defaults (records written before a setting existed lack it). */
export function settingsOf(stored: Partial<ProvisioningSettings> | undefined): ProvisioningSettings {
  const d = DEFAULT_PROVISIONING_SETTINGS;
  return {
    apiIntegration: stored?.apiIntegration ?? d.apiIntegration,
    importGroups: stored?.importGroups ?? d.importGroups,
    toApp: { ...d.toApp, ...stored?.toApp, attributeMappings: { ...d.toApp.attributeMappings, ...stored?.toApp?.attributeMappings } },
    toOkta: { ...d.toOkta, ...stored?.toOkta },
  };
}

const departmentSource = z.union([
  z.literal('department'),
  z.string().regex(/^custom:/, 'department, custom:NAME or null').transform((s) => s.slice('custom:'.length)).pipe(customAttributeName).transform((name) => `custom:${name}` as const),
  z.null(),
]);

/** `PUT …/idm/settings`: any part; what is left out keeps its value. */
export const provisioningSettingsInput = z
  .object({
    apiIntegration: z.boolean().optional().describe('"Enable API Integration": needed before authenticating with the SP.'),
    importGroups: z.boolean().optional().describe('"Import Groups". RingCentral serves no groups, so nothing is imported either way.'),
    toApp: z
      .object({
        createUsers: z.boolean().optional(),
        updateUserAttributes: z.boolean().optional(),
        deactivateUsers: z.boolean().optional().describe('Off: unassigned, suspended and deleted users are left active at the SP.'),
        attributeMappings: z
          .object({
            phoneNumbers: z.union([z.literal('phoneNumbers'), z.null()]).optional(),
            addresses: z.union([z.literal('addresses'), z.null()]).optional(),
            department: departmentSource.optional().describe('`department`, `custom:NAME` (a custom attribute) or null (not sent).'),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional()
      .describe('To App: which changes reach the SP, and the optional attributes sent.'),
    toOkta: z
      .object({
        importSchedule: z.enum(IMPORT_SCHEDULES).optional(),
        matchBy: z.enum(MATCH_RULES).optional().describe('An SP user matches the IdP user with the same email, or whose username is its userName.'),
        confirmNewUsers: z.boolean().optional().describe('A scheduled import creates New users instead of only listing them.'),
      })
      .strict()
      .optional()
      .describe('To Okta: imports from the SP.'),
  })
  .strict();

export type ProvisioningSettingsInput = z.output<typeof provisioningSettingsInput>;

export function applySettings(current: ProvisioningSettings, input: ProvisioningSettingsInput): ProvisioningSettings {
  return settingsOf({
    ...current,
    ...(input.apiIntegration !== undefined && { apiIntegration: input.apiIntegration }),
    ...(input.importGroups !== undefined && { importGroups: input.importGroups }),
    toApp: {
      ...current.toApp,
      ...stripUndefined({ createUsers: input.toApp?.createUsers, updateUserAttributes: input.toApp?.updateUserAttributes, deactivateUsers: input.toApp?.deactivateUsers }),
      attributeMappings: { ...current.toApp.attributeMappings, ...stripUndefined(input.toApp?.attributeMappings ?? {}) },
    },
    toOkta: { ...current.toOkta, ...stripUndefined(input.toOkta ?? {}) },
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
