// RingCentral's own words for a refused SCIM value. A real RingCentral SCIM answer to a bad address
// state (a public capture, docs/scim.md "RingCentral's error wording") reads
//   {"status":"400","scimType":"invalidValue","detail":"Parameter [extension.contact.businessAddress.state] value is invalid."}
// naming the field of RingCentral's extension record (ContactInfo and ContactBusinessAddressInfo
// of its REST API) rather than the SCIM attribute. Our details start with that sentence, so a
// client matching RingCentral's text matches ours, and go on with what to change.
import type { HarnessError } from '../errors.js';
import { badRequest } from './errors.js';

/** The RingCentral extension field each SCIM User attribute the rules check is stored in. */
export const RC_PARAMETER = {
  userName: 'userName',
  email: 'extension.contact.email',
  givenName: 'extension.contact.firstName',
  familyName: 'extension.contact.lastName',
  department: 'extension.contact.department',
  address: 'extension.contact.businessAddress',
  streetAddress: 'extension.contact.businessAddress.street',
  locality: 'extension.contact.businessAddress.city',
  region: 'extension.contact.businessAddress.state',
  postalCode: 'extension.contact.businessAddress.zip',
  country: 'extension.contact.businessAddress.country',
} as const;

export type RcParameter = (typeof RC_PARAMETER)[keyof typeof RC_PARAMETER];

/** RingCentral's sentence for a refused parameter (its CMN-101 message, as its SCIM API words it). */
export const rcInvalidSentence = (parameter: RcParameter): string => `Parameter [${parameter}] value is invalid.`;

/** A 400 invalidValue in RingCentral's words, followed by the harness's explanation of what to change. */
export const rcInvalidValue = (parameter: RcParameter, explanation: string): HarnessError => badRequest('invalidValue', `${rcInvalidSentence(parameter)} ${explanation}`);

const ADDRESS_PARAMETERS = new Map<string, RcParameter>(
  (['streetAddress', 'locality', 'region', 'postalCode', 'country'] as const).map((sub) => [sub, RC_PARAMETER[sub]]),
);

/** The RingCentral field of an address sub-attribute, else the address itself. */
export const addressParameter = (sub: string | undefined): RcParameter => (sub === undefined ? undefined : ADDRESS_PARAMETERS.get(sub)) ?? RC_PARAMETER.address;
