// Signature wrapping: the signed assertion stays somewhere a verifier finds it while a reader
// takes another one. XSW1-8 as SAML Raider's XSWHelpers applies them (rows 2-9), the signed
// assertion hidden in SubjectConfirmationData or Advice (row 10, samlify "signature wrapped
// response" cases), concealed and doubled assertions (row 21, ruby-saml fixtures) and an
// unsigned assertion after the signed one (row 22, CVE-2022-41912). The attacker's assertion
// claims EVIL_NAME_ID. Our SP answers all of them at assertion-count.
import { childPath } from '../dom.js';
import { NS } from '../urn.js';
import { assertionIn, EVIL_ID, evilCopy, impersonate, required, signatureIn, withoutSignature } from './dom-edit.js';
import { attackOn, reject } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

type ResponseEdit = (response: Element, doc: Document) => void;

// XSW1/2 need a signed Response; XSW3-8 a signed Assertion.
export const XSW: Record<string, ResponseEdit> = {
  // <R ID=evil>evil <S(#orig)>…<R ID=orig>orig</R></S></R>
  XSW1(response) {
    const original = withoutSignature(response);
    signatureIn(response).appendChild(original);
    response.setAttribute('ID', EVIL_ID);
    impersonate(assertionIn(response));
  },
  // <R ID=evil><R ID=orig>orig</R><S(#orig)/>evil</R>
  XSW2(response) {
    const original = withoutSignature(response);
    response.insertBefore(original, signatureIn(response));
    response.setAttribute('ID', EVIL_ID);
    impersonate(assertionIn(response));
  },
  // <R><A ID=evil>evil</A><A ID=orig><S(#orig)/>orig</A></R>
  XSW3(response) {
    const a = assertionIn(response);
    response.insertBefore(evilCopy(a), a);
  },
  // <R><A ID=evil>evil<A ID=orig><S(#orig)/>orig</A></A></R>
  XSW4(response) {
    const a = assertionIn(response);
    const evil = evilCopy(a);
    response.replaceChild(evil, a);
    evil.appendChild(a);
  },
  // <R><A ID=evil>evil<S(#orig)/></A><A ID=orig>orig</A></R>
  XSW5(response) {
    const a = assertionIn(response);
    const copy = withoutSignature(a);
    response.replaceChild(evilCopy(a, true), a);
    response.appendChild(copy);
  },
  // <R><A ID=evil>evil<S(#orig)><A ID=orig>orig</A></S></A></R>
  XSW6(response) {
    const a = assertionIn(response);
    const evil = evilCopy(a, true);
    signatureIn(evil).appendChild(withoutSignature(a));
    response.replaceChild(evil, a);
  },
  // <R><Extensions><A ID=orig>evil</A></Extensions><A ID=orig><S(#orig)/>orig</A></R>
  XSW7(response, doc) {
    const a = assertionIn(response);
    const evil = withoutSignature(a);
    impersonate(evil);
    const extensions = doc.createElementNS(NS.protocol, 'samlp:Extensions');
    extensions.appendChild(evil);
    response.insertBefore(extensions, childPath(response, [NS.protocol, 'Status']) ?? a);
  },
  // <R><A ID=orig>evil<S(#orig)><Object><A ID=orig>orig</A></Object></S></A></R>
  XSW8(response, doc) {
    const a = assertionIn(response);
    const object = doc.createElementNS(NS.dsig, 'ds:Object');
    object.appendChild(withoutSignature(a));
    signatureIn(a).appendChild(object);
    impersonate(a);
  },
};

/** Row 10: the signed assertion hidden inside an evil one's SubjectConfirmationData or Advice. */
export function wrapAssertionIn(where: 'SubjectConfirmationData' | 'Advice'): ResponseEdit {
  return (response, doc) => {
    const a = assertionIn(response);
    const evil = evilCopy(a);
    response.replaceChild(evil, a);
    if (where === 'Advice') {
      const advice = doc.createElementNS(NS.assertion, 'saml:Advice');
      advice.appendChild(a);
      // Schema order: Advice comes right after Conditions.
      const conditions = childPath(evil, [NS.assertion, 'Conditions']);
      evil.insertBefore(advice, conditions?.nextSibling ?? null);
    } else {
      const data = childPath(evil, [NS.assertion, 'Subject'], [NS.assertion, 'SubjectConfirmation'], [NS.assertion, 'SubjectConfirmationData']);
      required(data, 'a SubjectConfirmationData').appendChild(a);
    }
  };
}

/** Row 21, ruby-saml "concealed": <A ID=evil><S(#orig)/>evil</A><foo><A ID=orig>orig</A></foo>. */
const concealSignedAssertion: ResponseEdit = (response, doc) => {
  const a = assertionIn(response);
  const wrapper = doc.createElementNS(null, 'foo');
  wrapper.appendChild(withoutSignature(a));
  response.replaceChild(evilCopy(a, true), a);
  response.appendChild(wrapper);
};

/** Row 21, ruby-saml "doubled": the signed assertion twice, same ID, the first one edited. */
const doubleSignedAssertion: ResponseEdit = (response) => {
  const a = assertionIn(response);
  const evil = a.cloneNode(true) as Element;
  impersonate(evil);
  response.insertBefore(evil, a);
};

/** Row 22, CVE-2022-41912: an unsigned copy after the signed assertion, which a reader takes. */
const appendUnsignedAssertion: ResponseEdit = (response) => {
  const a = assertionIn(response);
  const evil = withoutSignature(a);
  evil.setAttribute('ID', `${a.getAttribute('ID') ?? ''}_attack`);
  impersonate(evil);
  response.appendChild(evil);
};

const WRAPPED = reject('SAML_ASSERTION_COUNT');

const XSW_TITLES: readonly string[] = [
  'XSW1: evil Response signed by a clone of the original placed inside its Signature',
  'XSW2: evil Response with a detached clone of the original before its Signature',
  'XSW3: an evil assertion inserted before the signed one',
  'XSW4: the signed assertion nested inside an evil one',
  'XSW5: the signature moved into an evil assertion, an unsigned copy of the original appended',
  'XSW6: the signature moved into an evil assertion, the original placed inside the Signature',
  'XSW7: an evil assertion with the original ID in samlp:Extensions',
  'XSW8: the signed assertion edited, its original inside ds:Object of its own Signature',
];

function xsw(n: number): ResponseScenario {
  const signed = n <= 2 ? { response: true } : { assertion: true };
  const edit = XSW[`XSW${n}`] as ResponseEdit;
  return {
    id: `xsw${n}`,
    title: XSW_TITLES[n - 1] as string,
    row: n + 1,
    kind: 'attack',
    expect: WRAPPED,
    build: (ctx) => ({ xml: attackOn(ctx.spec, edit, signed) }),
  };
}

function wrapping(id: string, row: number, title: string, edit: ResponseEdit): ResponseScenario {
  return { id, title, row, kind: 'attack', expect: WRAPPED, build: (ctx) => ({ xml: attackOn(ctx.spec, edit, { assertion: true }) }) };
}

export const WRAPPING_SCENARIOS: readonly ResponseScenario[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map(xsw),
  wrapping('wrap-in-subject-confirmation-data', 10, 'The signed assertion hidden in the SubjectConfirmationData of an evil one', wrapAssertionIn('SubjectConfirmationData')),
  wrapping('wrap-in-advice', 10, 'The signed assertion hidden in the saml:Advice of an evil one', wrapAssertionIn('Advice')),
  wrapping('concealed-signed-assertion', 21, 'An evil assertion keeps the signature; the signed original is concealed in a foreign element', concealSignedAssertion),
  wrapping('doubled-signed-assertion', 21, 'The signed assertion twice with one ID, the first copy edited', doubleSignedAssertion),
  wrapping('assertion-after-first', 22, 'An unsigned evil assertion appended after the signed one', appendUnsignedAssertion),
];
