// What an IdP user carries beyond its fixed properties, as JumpCloud holds it: a list of typed
// phone numbers (the seed's phoneNumbers[].type and .value) and custom attributes (name/value
// pairs). And the value an attribute statement takes from a user: a property, a custom attribute
// or a constant.
import { z } from 'zod';
import { PHONE_TYPES, userProperty, type AttributeStatement, type IdpUser, type PhoneNumber } from './model.js';

export const PHONE_PATTERN = /^\+?[0-9 ()-]{3,30}$/;
export const phoneValue = z.string().trim().regex(PHONE_PATTERN, 'a phone number such as +16505550100');

export const phoneNumberSchema = z.object({ type: z.enum(PHONE_TYPES).default('work'), value: phoneValue }).strict();

/** Custom attribute names: what an attribute statement can name, so no spaces or markup. */
export const customAttributeName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'a letter, then up to 63 letters, digits, _ . or -');

export const customAttributesSchema = z
  .array(z.object({ name: customAttributeName, value: z.string().trim().max(1000) }).strict())
  .max(50)
  .refine((list) => new Set(list.map((a) => a.name.toLowerCase())).size === list.length, { message: 'each custom attribute name once' });

/**
 * The user's phone numbers. Records written before the list existed hold only `number`, which
 * was always the work number.
 */
export function phoneNumbersOf(user: Pick<IdpUser, 'phoneNumbers' | 'number'>): PhoneNumber[] {
  if (user.phoneNumbers) return user.phoneNumbers;
  return user.number ? [{ type: 'work', value: user.number }] : [];
}

/** The number RingCentral's `number` attribute has always carried: the work one, else the first. */
export function directNumber(phones: readonly PhoneNumber[]): string | undefined {
  return (phones.find((p) => p.type === 'work') ?? phones[0])?.value;
}

/**
 * The phone list after an input: a given list replaces the current one, and `number` (the older,
 * single-number input) becomes the work number, in place of the current one.
 */
export function mergePhones(current: readonly PhoneNumber[], input: { phoneNumbers?: PhoneNumber[]; number?: string }): PhoneNumber[] {
  const phones = [...(input.phoneNumbers ?? current)];
  if (input.number === undefined) return phones;
  const work = phones.findIndex((p) => p.type === 'work');
  if (work >= 0) phones[work] = { type: 'work', value: input.number };
  else phones.unshift({ type: 'work', value: input.number });
  return phones;
}

export function customAttributeOf(user: Pick<IdpUser, 'customAttributes'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return user.customAttributes?.find((a) => a.name.toLowerCase() === wanted)?.value;
}

/** The value an attribute statement sends for `user`; undefined or '' leaves the attribute out. */
export function statementValue(user: IdpUser, statement: AttributeStatement): string | undefined {
  if ('constant' in statement) return statement.constant;
  if ('customAttribute' in statement) return customAttributeOf(user, statement.customAttribute);
  return userProperty(user, statement.property);
}
