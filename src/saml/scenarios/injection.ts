// Row 40, IdP-side XML injection (samlify GHSA-34r5-q4jw-r36m, NCC Group "SAML XML injection"):
// a user attribute value that would close its element and open a `role` attribute if the IdP
// templated its XML. Our builder escapes every value, so the SP sees one attribute with the
// literal text: the positive twin a strict SP must accept.
import { ACCEPT, fromSpec } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

/** The attribute the payload travels in: a profile field the user can edit. */
export const INJECTION_ATTRIBUTE = 'department';
export const INJECTION_PAYLOAD = 'x</saml:AttributeValue></saml:Attribute><saml:Attribute Name="role"><saml:AttributeValue>admin';

export const INJECTION_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'attribute-injection-escaped',
    title: 'A user attribute value carrying closing tags and a role=admin attribute, escaped by the IdP',
    row: 40,
    kind: 'attack',
    expect: ACCEPT,
    build: fromSpec((spec) => ({ ...spec, attributes: [...spec.attributes, { name: INJECTION_ATTRIBUTE, values: [INJECTION_PAYLOAD] }] })),
  },
];
