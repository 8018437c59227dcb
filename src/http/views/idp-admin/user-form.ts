// The fields of the console's "Add a user" form beyond the name and email: one address (the SCIM
// addresses[] the RingCentral connector sends; RingCentral needs at least one, with a country that
// has an unassigned extension), the department, typed phone numbers and custom attributes.
import { PHONE_TYPES, type PublicIdpUser } from '../../../idp/model.js';
import { phoneNumbersOf } from '../../../idp/user-attributes.js';
import { html, type SafeHtml } from '../html.js';

/** How many phone rows and custom attribute rows the form offers (the API takes more). */
export const PHONE_ROWS = 2;
export const CUSTOM_ATTRIBUTE_ROWS = 3;

const ADDRESS_TYPES = ['work', 'home', 'other'] as const;

export function userProfileFields(): SafeHtml {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  return html`<fieldset><legend>Address</legend>
<label for="user-address-type">Address type</label><select id="user-address-type" name="addressType">${ADDRESS_TYPES.map((t) => html`<option value="${t}">${t}</option>`)}</select>
<label for="user-street">Street address</label><input id="user-street" name="streetAddress" autocomplete="off">
<label for="user-locality">City (locality)</label><input id="user-locality" name="locality" autocomplete="off">
<label for="user-region">State or region</label><input id="user-region" name="region" autocomplete="off">
<label for="user-postal-code">Postal code</label><input id="user-postal-code" name="postalCode" autocomplete="off">
<label for="user-country">Country (e.g. US)</label><input id="user-country" name="country" autocomplete="off">
</fieldset>
<label for="user-department">Department</label><input id="user-department" name="department">
<fieldset><legend>Phone numbers</legend>${rows(PHONE_ROWS).map(
    (n) => html`
<label for="user-phone-type-${n}">Phone ${n} type</label><select id="user-phone-type-${n}" name="phoneType${n}">${PHONE_TYPES.map((t) => html`<option value="${t}"${t === (n === 1 ? 'work' : 'mobile') ? html` selected` : ''}>${t}</option>`)}</select>
<label for="user-phone-${n}">Phone ${n} number</label><input id="user-phone-${n}" name="phoneNumber${n}" type="tel">`,
  )}
</fieldset>
<fieldset><legend>Custom attributes</legend>${rows(CUSTOM_ATTRIBUTE_ROWS).map(
    (n) => html`
<label for="user-custom-name-${n}">Custom attribute ${n} name</label><input id="user-custom-name-${n}" name="customName${n}" autocomplete="off">
<label for="user-custom-value-${n}">Custom attribute ${n} value</label><input id="user-custom-value-${n}" name="customValue${n}" autocomplete="off">`,
  )}
</fieldset>`;
}

/** What the users list shows of the same fields: department, address country, phones, custom attributes. */
export function userProfileSummary(u: PublicIdpUser): SafeHtml {
  const country = u.addresses.find((a) => a.country)?.country;
  const parts = [
    u.department,
    country && `country ${country}`,
    ...phoneNumbersOf(u).map((p) => `${p.type} ${p.value}`),
    ...(u.customAttributes ?? []).map((a) => `${a.name}: ${a.value}`),
  ].filter((x): x is string => Boolean(x));
  return html`${parts.length > 0 ? parts.map((p, i) => html`${i > 0 ? html`<br>` : ''}${p}`) : '–'}`;
}
