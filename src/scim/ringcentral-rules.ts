// The RingCentral provisioning rules (JumpCloud seed, "Important Considerations" and "Attribute
// Considerations"), each switchable per account (SCIM_RULES in src/sp/model.ts). Every refusal
// says what was wrong, what to send instead, and which rule to switch off.
import type { Address } from '../address.js';
import { availableExtensions, countriesWithExtensions, normalizeCountry, releaseExtension, takeDigitalLine, takeExtension } from '../sp/licences.js';
import type { ScimRuleName, ScimSettings, SpUser } from '../sp/model.js';
import { stateConflict } from './errors.js';
import { RC_PARAMETER, rcInvalidValue } from './ringcentral-wording.js';
import type { UserDraft } from './user-input.js';

/** How to switch a rule off, for error details. */
export const switchOff = (rule: ScimRuleName, accountId: string): string =>
  `or switch off rule ${rule} (PATCH /sp/api/accounts/${accountId}/scim {"rules":{"${rule}":false}})`;

/** What the SP stores from a SCIM body once the attribute rules pass. */
export interface UserFields {
  email: string;
  userName?: string;
  firstName: string;
  lastName: string;
  addresses: Address[];
  phoneNumbers: SpUser['phoneNumbers'];
  externalId?: string;
  department?: string;
}

/** userNameIsWorkEmail, namesRequired, addressRequired, and the country part of addressCountryNeedsExtension. */
export function checkAttributes(draft: UserDraft, settings: ScimSettings, accountId: string): UserFields {
  const on = settings.rules;
  const looksLikeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(draft.userName);
  const email = draft.email ?? (looksLikeEmail ? draft.userName : undefined);
  if (email === undefined) {
    throw rcInvalidValue(RC_PARAMETER.email, 'emails needs a work email (RingCentral users have a contact email), e.g. "emails": [{"type": "work", "value": "ann@example.com"}]');
  }
  if (on.userNameIsWorkEmail && draft.userName.toLowerCase() !== email.toLowerCase()) {
    throw rcInvalidValue(
      RC_PARAMETER.userName,
      `userName ${JSON.stringify(draft.userName)} must be the work email ${JSON.stringify(email)}: send the work email as userName, ${switchOff('userNameIsWorkEmail', accountId)}`,
    );
  }
  if (on.namesRequired) {
    const missing = [draft.givenName === undefined && 'name.givenName', draft.familyName === undefined && 'name.familyName'].filter(Boolean);
    const parameter = draft.givenName === undefined ? RC_PARAMETER.givenName : RC_PARAMETER.familyName;
    if (missing.length > 0) throw rcInvalidValue(parameter, `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required: send them, ${switchOff('namesRequired', accountId)}`);
  }
  if (on.addressRequired && draft.addresses.length === 0) {
    throw rcInvalidValue(RC_PARAMETER.address, `at least one address is required, e.g. "addresses": [{"type": "work", "country": "US"}], ${switchOff('addressRequired', accountId)}`);
  }
  if (on.addressCountryNeedsExtension) {
    const i = draft.addresses.findIndex((a) => a.country === undefined);
    if (i >= 0) {
      throw rcInvalidValue(RC_PARAMETER.country, `addresses[${i}].country is required (a country with an unassigned extension, e.g. "US"), ${switchOff('addressCountryNeedsExtension', accountId)}`);
    }
  }
  return {
    email,
    // Kept when it differs at all (with the rule on, only in case), so a client reads back what it sent.
    ...(draft.userName !== email && { userName: draft.userName }),
    firstName: draft.givenName ?? '',
    lastName: draft.familyName ?? '',
    addresses: draft.addresses,
    phoneNumbers: draft.phoneNumbers,
    ...(draft.externalId !== undefined && { externalId: draft.externalId }),
    ...(draft.department !== undefined && { department: draft.department }),
  };
}

/** The country whose unassigned extension the user takes: its first address's. */
export const extensionCountry = (addresses: readonly Address[]): string | undefined => {
  const country = addresses.find((a) => a.country !== undefined)?.country;
  return country === undefined ? undefined : normalizeCountry(country);
};

function noExtension(settings: ScimSettings, country: string, accountId: string): never {
  const offered = countriesWithExtensions(settings);
  throw rcInvalidValue(
    RC_PARAMETER.country,
    `no unassigned extension for country ${country}: the account has ${offered.length > 0 ? offered.join(', ') : 'none left in any country'}; use one of those countries, add extensions for ${country} (PATCH /sp/api/accounts/${accountId}/scim {"extensions":[…]}), ${switchOff('addressCountryNeedsExtension', accountId)}`,
  );
}

/** A new user's extension and DigitalLine, taken from the account's pools. */
export function claimLicences(
  settings: ScimSettings,
  addresses: readonly Address[],
  accountId: string,
): { settings: ScimSettings; extensionCountry?: string; digitalLine: boolean } {
  let next = settings;
  const country = settings.rules.addressCountryNeedsExtension ? extensionCountry(addresses) : undefined;
  if (country !== undefined) next = takeExtension(next, country) ?? noExtension(settings, country, accountId);
  if (settings.rules.digitalLinesRequired) {
    const taken = takeDigitalLine(next);
    if (!taken) {
      throw stateConflict(
        `the account has no DigitalLines licence left for a new user: add some (PATCH /sp/api/accounts/${accountId}/scim {"digitalLines": 10}), ${switchOff('digitalLinesRequired', accountId)}`,
      );
    }
    next = taken;
  }
  return { settings: next, ...(country !== undefined && { extensionCountry: country }), digitalLine: settings.rules.digitalLinesRequired };
}

/** An address change to another country moves the user's extension to that country's pool. */
export function moveExtension(settings: ScimSettings, user: SpUser, addresses: readonly Address[]): { settings: ScimSettings; extension: SpUser['extension'] } {
  const from = user.extension?.country;
  const to = extensionCountry(addresses);
  if (!settings.rules.addressCountryNeedsExtension || from === undefined || to === undefined || to === from || !user.extension) {
    return { settings, extension: user.extension };
  }
  if (availableExtensions(settings, to) < 1) noExtension(settings, to, user.accountId);
  return { settings: takeExtension(releaseExtension(settings, from), to) as ScimSettings, extension: { ...user.extension, country: to } };
}

/** pendingOnlyDeletable: "User accounts in a pending status can't be managed; they can only be deleted." */
export function assertManageable(user: SpUser, settings: ScimSettings): void {
  if (settings.rules.pendingOnlyDeletable && user.status === 'pending') {
    throw stateConflict(
      `${user.email} is pending, and a pending user can only be deleted: it becomes active when the link of its activation email is opened (the account's outbox has it: GET /sp/api/accounts/${user.accountId}/outbox); until then DELETE it, ${switchOff('pendingOnlyDeletable', user.accountId)}`,
    );
  }
}

/** reactivateBeforeDelete: "Users deactivated via the SCIM integration can only be deleted … after reactivating them". */
export function assertDeletable(user: SpUser, settings: ScimSettings): void {
  if (settings.rules.reactivateBeforeDelete && user.status === 'inactive') {
    throw stateConflict(
      `${user.email} is deactivated, and RingCentral deletes a deactivated user only after it is reactivated: PATCH {"op":"replace","path":"active","value":true} first, then DELETE, ${switchOff('reactivateBeforeDelete', user.accountId)}`,
    );
  }
}
