// Row 1, signature exclusion: an SP that skips verification when there is no signature
// accepts anything. SAML Raider "Remove signatures"; CVE-2020-12676 (FusionAuth).
import { assertionIn, impersonate, removeSignatures } from './dom-edit.js';
import { attackOn, fromSpec, reject, withSigning } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

export const SIGNATURE_EXCLUSION_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'signature-removed',
    title: 'Every ds:Signature removed from the genuine response, and the NameID and email changed',
    row: 1,
    kind: 'attack',
    expect: reject('SAML_SIGNATURE_MISSING'),
    build: (ctx) => ({
      xml: attackOn(ctx.spec, (response) => {
        removeSignatures(response);
        impersonate(assertionIn(response));
      }),
    }),
  },
  {
    id: 'unsigned',
    title: 'The IdP signs neither the assertion nor the Response (signing turned off)',
    row: 1,
    kind: 'fault',
    expect: reject('SAML_SIGNATURE_MISSING'),
    build: fromSpec((spec) => withSigning(spec, { assertion: false, response: false })),
  },
];
