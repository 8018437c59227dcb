// The application catalogue. The `ringcentral` template pre-fills what JumpCloud's RingCentral
// connector shows in "To configure JumpCloud 1": the `<mydomain>` placeholders, the SP values
// and the `email` and `number` attributes RingCentral needs.
import { BINDING } from '../saml/urn.js';
import type { AttributeStatement, IdpApp } from './model.js';

export const MYDOMAIN = '<mydomain>';

export interface CatalogueEntry {
  id: string;
  name: string;
  description: string;
  defaults: Pick<IdpApp, 'displayLabel' | 'sp' | 'nameId' | 'signing' | 'attributes'>;
}

const ringcentralAttributes: AttributeStatement[] = [
  { name: 'email', property: 'email' },
  { name: 'number', property: 'number' },
];

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'ringcentral',
    name: 'RingCentral',
    description: 'RingCentral (SAML SSO, SP-initiated) with Identity Management over SCIM 2.0',
    defaults: {
      displayLabel: 'RingCentral',
      sp: {
        entityId: `http://${MYDOMAIN}/sp`,
        acs: [{ url: `http://${MYDOMAIN}/sp/acs`, binding: BINDING.post, index: 0, isDefault: true }],
        loginUrl: `http://${MYDOMAIN}/sp/login`,
        authnRequestsSigned: false,
        wantAssertionsSigned: true,
        certificates: [],
      },
      nameId: { property: 'email', format: 'emailAddress' },
      signing: { assertion: true, response: false, algorithm: 'rsa-sha256' },
      attributes: ringcentralAttributes,
    },
  },
  {
    id: 'custom-saml',
    name: 'Custom SAML App',
    description: 'A blank SAML 2.0 application: enter the SP values or upload its metadata',
    defaults: {
      displayLabel: 'Custom SAML App',
      sp: { entityId: '', acs: [], authnRequestsSigned: false, wantAssertionsSigned: true, certificates: [] },
      nameId: { property: 'email', format: 'emailAddress' },
      signing: { assertion: true, response: false, algorithm: 'rsa-sha256' },
      attributes: [{ name: 'email', property: 'email' }],
    },
  },
];

export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.id === id);
}

/** Replaces every `<mydomain>` in the SP values. */
export function fillDomain(sp: IdpApp['sp'], domain: string): IdpApp['sp'] {
  const fill = (v: string): string => v.split(MYDOMAIN).join(domain);
  return {
    ...sp,
    entityId: fill(sp.entityId),
    acs: sp.acs.map((a) => ({ ...a, url: fill(a.url) })),
    ...(sp.loginUrl !== undefined && { loginUrl: fill(sp.loginUrl) }),
  };
}

/** What still has to be filled in before the application can sign anyone in. */
export function missingSettings(app: IdpApp): string[] {
  const missing: string[] = [];
  if (!app.sp.entityId) missing.push('SP Entity ID');
  else if (app.sp.entityId.includes(MYDOMAIN)) missing.push(`SP Entity ID (replace ${MYDOMAIN})`);
  if (app.sp.acs.length === 0) missing.push('ACS URL');
  else if (app.sp.acs.some((a) => a.url.includes(MYDOMAIN))) missing.push(`ACS URL (replace ${MYDOMAIN})`);
  return missing;
}
