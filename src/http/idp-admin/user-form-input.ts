// The console's "Add a user" form, read into the IdP user input the API takes: blank fields are
// left out, so the domain's checks speak only of what the administrator typed.
import type { UserInput } from '../../idp/inputs.js';
import { CUSTOM_ATTRIBUTE_ROWS, PHONE_ROWS } from '../views/idp-admin/user-form.js';

const ADDRESS_FIELDS = ['streetAddress', 'locality', 'region', 'postalCode', 'country'] as const;

export function userFormInput(body: unknown): UserInput {
  const form = (body ?? {}) as Record<string, unknown>;
  const text = (name: string): string => (typeof form[name] === 'string' ? form[name].trim() : '');
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  const address: Record<string, string> = {};
  for (const field of ADDRESS_FIELDS) if (text(field)) address[field] = text(field);
  const phoneNumbers = rows(PHONE_ROWS)
    .filter((n) => text(`phoneNumber${n}`) !== '')
    .map((n) => ({ type: text(`phoneType${n}`) || 'work', value: text(`phoneNumber${n}`) }));
  const customAttributes = rows(CUSTOM_ATTRIBUTE_ROWS)
    .filter((n) => text(`customName${n}`) !== '' || text(`customValue${n}`) !== '')
    .map((n) => ({ name: text(`customName${n}`), value: text(`customValue${n}`) }));
  const number = text('number');
  const department = text('department');

  return {
    email: text('email'),
    firstName: text('firstName'),
    lastName: text('lastName'),
    password: text('password'),
    ...(number && { number }),
    ...(department && { department }),
    // The type is the domain's to check, as the API's is.
    ...(Object.keys(address).length > 0 && { addresses: [{ ...address, type: (text('addressType') || 'work') as 'work' }] }),
    ...(phoneNumbers.length > 0 && { phoneNumbers: phoneNumbers as NonNullable<UserInput['phoneNumbers']> }),
    ...(customAttributes.length > 0 && { customAttributes }),
  };
}
