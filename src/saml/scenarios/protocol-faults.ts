// The faults users hit in real integrations, each as the IdP would sign it: time (row 34),
// replay (29), audience (30), destination (31), recipient (32), InResponseTo (33), bearer
// confirmation (35), issuer (36), status (37), and the attribute and NameID mistakes that stop
// RingCentral from finding the user. The expected codes are those of our SP's pipeline with
// its defaults: 180 s of clock skew allowed, email from the `email` attribute, `number` required,
// unsolicited responses refused.
import { createHash } from 'node:crypto';
import { HarnessError } from '../../errors.js';
import { childPath, firstChild } from '../dom.js';
import { newSamlId } from '../ids.js';
import type { ResponseSpec } from '../response-builder.js';
import { NAMEID_FORMAT, NS, STATUS } from '../urn.js';
import { assertionIn, EMAIL_ATTRIBUTE, required } from './dom-edit.js';
import { ACCEPT, emailOf, fromSpec, reject, signedAfterEdit } from './spec-edit.js';
import type { ExpectedVerdict, ResponseScenario, ScenarioContext } from './types.js';

const NUMBER_ATTRIBUTE = 'number';
/** Another SP of the same IdP, whose values a misconfigured IdP application sends. */
const OTHER_SP = { entityId: 'https://other-sp.example/saml/metadata', acsUrl: 'https://other-sp.example/saml/acs' };

// --- time (row 34) -----------------------------------------------------------------------------

/** The clock skew the SP allows by default, in seconds, each way (`sso.clockSkewSec`). */
export const SP_ALLOWED_CLOCK_SKEW_SEC = 180;
/** The assertion lifetime the time scenarios sign with (the IdP default), in minutes. */
const LIFETIME_MINUTES = 5;
/** The response builder dates Conditions/@NotBefore one minute before IssueInstant. */
const NOT_BEFORE_LEAD_MINUTES = 1;
const MAX_OFFSET_MINUTES = 1440;

/** The spec as an IdP whose clock is `offsetMinutes` off (positive: ahead) signs it, lifetime 5 minutes. */
function shifted(spec: ResponseSpec, offsetMinutes: number): ResponseSpec {
  return { ...spec, nowMs: spec.nowMs + offsetMinutes * 60_000, lifetimeSec: LIFETIME_MINUTES * 60 };
}

/**
 * The verdict for an IdP clock N minutes ahead or behind, with the 5-minute lifetime and the
 * SP's 180 s of allowed skew. Ahead: NotBefore is N-1 minutes in the SP's future, refused once that
 * exceeds the skew (N >= 5: SAML_NOT_YET_VALID). Behind: the bearer NotOnOrAfter is 5-N minutes
 * away, refused once it is at least the skew in the past (N >= 8: SAML_EXPIRED, which the
 * subject-confirmation check answers before the Conditions are read).
 */
export function clockOffsetVerdict(direction: 'ahead' | 'behind', minutes: number): ExpectedVerdict {
  if (direction === 'ahead') {
    return (minutes - NOT_BEFORE_LEAD_MINUTES) * 60 > SP_ALLOWED_CLOCK_SKEW_SEC ? reject('SAML_NOT_YET_VALID') : ACCEPT;
  }
  return (minutes - LIFETIME_MINUTES) * 60 >= SP_ALLOWED_CLOCK_SKEW_SEC ? reject('SAML_EXPIRED') : ACCEPT;
}

/**
 * `clock-skew-ahead-<N>m` / `clock-skew-behind-<N>m`, N in 1..1440: an IdP whose clock is N minutes
 * off. The ids keep the word users know them by (apps store them as their responseScenario).
 */
export function clockOffsetScenario(direction: 'ahead' | 'behind', minutes: number): ResponseScenario {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_OFFSET_MINUTES) {
    throw new RangeError(`clock offset of ${minutes} minutes: 1 to ${MAX_OFFSET_MINUTES} minutes`);
  }
  return {
    id: `clock-skew-${direction}-${minutes}m`,
    title: `The IdP clock is ${minutes} minute${minutes === 1 ? '' : 's'} ${direction === 'ahead' ? 'ahead of' : 'behind'} the SP clock`,
    row: 34,
    kind: 'fault',
    expect: clockOffsetVerdict(direction, minutes),
    build: fromSpec((spec) => shifted(spec, direction === 'ahead' ? minutes : -minutes)),
  };
}

const CLOCK_OFFSET_ID = /^clock-skew-(ahead|behind)-([1-9]\d{0,3})m$/;

/** The clock offset scenario an id names, for any N in 1..1440; undefined for other ids. */
export function clockOffsetScenarioById(id: string): ResponseScenario | undefined {
  const m = CLOCK_OFFSET_ID.exec(id);
  const minutes = Number(m?.[2]);
  if (!m || minutes > MAX_OFFSET_MINUTES) return undefined;
  return clockOffsetScenario(m[1] as 'ahead' | 'behind', minutes);
}

function conditionsOf(response: Element): Element {
  return required(childPath(assertionIn(response), [NS.assertion, 'Conditions']), 'Conditions');
}

const TIME_SCENARIOS: readonly ResponseScenario[] = [
  clockOffsetScenario('ahead', 2),
  clockOffsetScenario('ahead', 10),
  clockOffsetScenario('behind', 10),
  {
    id: 'expired',
    title: 'The assertion was issued an hour ago; its 5-minute lifetime has passed',
    row: 34,
    kind: 'fault',
    expect: reject('SAML_EXPIRED'),
    build: fromSpec((spec) => shifted(spec, -60)),
  },
  {
    id: 'not-yet-valid',
    title: 'The assertion is dated an hour in the future (NotBefore not reached)',
    row: 34,
    kind: 'fault',
    expect: reject('SAML_NOT_YET_VALID'),
    build: fromSpec((spec) => shifted(spec, 60)),
  },
  {
    id: 'session-expired',
    title: 'AuthnStatement SessionNotOnOrAfter is ten minutes in the past',
    row: 34,
    kind: 'fault',
    expect: reject('SAML_EXPIRED'),
    build: fromSpec((spec) => ({ ...spec, sessionLifetimeSec: -600 })),
  },
  {
    id: 'time-malformed',
    title: 'Conditions NotOnOrAfter is a local time without zone (2026-11-24 10:05:00)',
    row: 34,
    kind: 'fault',
    expect: reject('SAML_TIME_MALFORMED'),
    build: (ctx) => ({
      xml: signedAfterEdit(ctx.spec, (response) => {
        const conditions = conditionsOf(response);
        conditions.setAttribute('NotOnOrAfter', (conditions.getAttribute('NotOnOrAfter') ?? '').replace('T', ' ').replace(/Z$/, ''));
      }),
    }),
  },
];

// --- replay, addressing and request matching (rows 29-33) --------------------------------------

function replayPrevious(ctx: ScenarioContext): { xml: string } {
  if (ctx.previousXml === undefined) {
    throw new HarnessError('INPUT_INVALID', 'no previous response to replay: sign in once with another scenario first', {
      expected: 'a response this application issued before to the same user in the same IdP session',
      received: 'none',
    });
  }
  return { xml: ctx.previousXml };
}

/** Listed right after an accepted login, so the previous response is a genuine one. */
export const REPLAY_SCENARIO: ResponseScenario = {
  id: 'replay-previous',
  title: 'The previous response this application issued to the same user and IdP session, sent again unchanged',
  row: 29,
  kind: 'attack',
  // The assertion-ID replay cache is consulted before InResponseTo (which the first use consumed).
  expect: reject('SAML_REPLAY'),
  build: replayPrevious,
};

const ADDRESSING_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'wrong-audience',
    title: 'The Audience is the entity ID of another SP',
    row: 30,
    kind: 'fault',
    expect: reject('SAML_AUDIENCE'),
    build: fromSpec((spec) => ({ ...spec, audience: OTHER_SP.entityId })),
  },
  {
    id: 'wrong-destination',
    title: 'The Response Destination is the ACS URL of another SP',
    row: 31,
    kind: 'fault',
    expect: reject('SAML_DESTINATION'),
    build: fromSpec((spec) => ({ ...spec, destination: OTHER_SP.acsUrl, recipient: spec.recipient ?? spec.destination })),
  },
  {
    id: 'wrong-recipient',
    title: 'The SubjectConfirmationData Recipient is the ACS URL of another SP',
    row: 32,
    kind: 'fault',
    expect: reject('SAML_RECIPIENT'),
    build: fromSpec((spec) => ({ ...spec, recipient: OTHER_SP.acsUrl })),
  },
  {
    id: 'wrong-in-response-to',
    title: 'InResponseTo names a request the SP never sent',
    row: 33,
    kind: 'fault',
    expect: reject('SAML_IN_RESPONSE_TO'),
    build: fromSpec((spec) => ({ ...spec, inResponseTo: newSamlId() })),
  },
  {
    id: 'in-response-to-mismatch',
    title: 'The Response and the SubjectConfirmationData name different requests',
    row: 33,
    kind: 'fault',
    expect: reject('SAML_IN_RESPONSE_TO'),
    build: (ctx) => ({ xml: signedAfterEdit(ctx.spec, (response) => response.setAttribute('InResponseTo', newSamlId())) }),
  },
  {
    id: 'unsolicited',
    title: 'No InResponseTo: an IdP-initiated response to an SP that allows SP-initiated login only',
    row: 33,
    kind: 'fault',
    expect: reject('SAML_UNSOLICITED'),
    build: fromSpec((spec) => ({ ...spec, inResponseTo: undefined })),
  },
];

// --- bearer confirmation, issuer, status (rows 35-37) ------------------------------------------

function subjectConfirmationOf(response: Element): Element {
  return required(childPath(assertionIn(response), [NS.assertion, 'Subject'], [NS.assertion, 'SubjectConfirmation']), 'a SubjectConfirmation');
}

const CONFIRMATION_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'subject-confirmation-missing',
    title: 'The Subject has no SubjectConfirmation',
    row: 35,
    kind: 'fault',
    expect: reject('SAML_SUBJECT_CONFIRMATION'),
    build: (ctx) => ({
      xml: signedAfterEdit(ctx.spec, (response) => {
        const confirmation = subjectConfirmationOf(response);
        confirmation.parentNode?.removeChild(confirmation);
      }),
    }),
  },
  {
    id: 'subject-confirmation-data-missing',
    title: 'The bearer SubjectConfirmation has no SubjectConfirmationData (no Recipient, no expiry)',
    row: 35,
    kind: 'fault',
    expect: reject('SAML_SUBJECT_CONFIRMATION'),
    build: (ctx) => ({
      xml: signedAfterEdit(ctx.spec, (response) => {
        const confirmation = subjectConfirmationOf(response);
        const data = required(firstChild(confirmation, NS.assertion, 'SubjectConfirmationData'), 'a SubjectConfirmationData');
        confirmation.removeChild(data);
      }),
    }),
  },
  {
    id: 'bearer-not-before',
    title: 'The bearer SubjectConfirmationData carries a NotBefore, which the profile forbids',
    row: 35,
    kind: 'fault',
    expect: reject('SAML_SUBJECT_CONFIRMATION'),
    build: (ctx) => ({
      xml: signedAfterEdit(ctx.spec, (response) => {
        const data = required(firstChild(subjectConfirmationOf(response), NS.assertion, 'SubjectConfirmationData'), 'a SubjectConfirmationData');
        data.setAttribute('NotBefore', conditionsOf(response).getAttribute('NotBefore') ?? '');
      }),
    }),
  },
  {
    id: 'wrong-issuer',
    title: 'The Issuer is another IdP entity ID than the one in the metadata',
    row: 36,
    kind: 'fault',
    expect: reject('SAML_ISSUER'),
    build: fromSpec((spec) => ({ ...spec, issuer: 'https://other-idp.example/saml2' })),
  },
  {
    id: 'status-responder-authn-failed',
    title: 'Status Responder with second-level AuthnFailed, and no assertion',
    row: 37,
    kind: 'fault',
    expect: reject('SAML_STATUS'),
    build: fromSpec((spec) => ({
      ...spec,
      status: { code: STATUS.responder, subCode: STATUS.authnFailed, message: 'The user could not be authenticated' },
    })),
  },
];

// --- attributes and NameID ---------------------------------------------------------------------

function withoutAttribute(spec: ResponseSpec, name: string): ResponseSpec {
  return { ...spec, attributes: spec.attributes.filter((a) => a.name !== name) };
}

const ATTRIBUTE_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'missing-email-attribute',
    spProfile: 'ringcentral',
    title: 'No email attribute (the IdP application does not map it)',
    kind: 'fault',
    expect: reject('SAML_ATTRIBUTE_EMAIL'),
    build: fromSpec((spec) => withoutAttribute(spec, EMAIL_ATTRIBUTE)),
  },
  {
    id: 'email-attribute-name-case',
    spProfile: 'ringcentral',
    title: 'The email attribute is named "Email" (attribute names compare exactly)',
    kind: 'fault',
    expect: reject('SAML_ATTRIBUTE_EMAIL'),
    build: fromSpec((spec) => ({
      ...spec,
      attributes: spec.attributes.map((a) => (a.name === EMAIL_ATTRIBUTE ? { ...a, name: 'Email' } : a)),
    })),
  },
  {
    id: 'missing-number',
    spProfile: 'ringcentral',
    title: 'No number attribute, which RingCentral requires',
    kind: 'fault',
    expect: reject('SAML_ATTRIBUTE_NUMBER'),
    build: fromSpec((spec) => withoutAttribute(spec, NUMBER_ATTRIBUTE)),
  },
  {
    id: 'email-other-case',
    spProfile: 'ringcentral',
    title: 'The email in upper case (the SP matches emails case-insensitively)',
    kind: 'fault',
    expect: ACCEPT,
    build: fromSpec((spec) => {
      const email = emailOf(spec);
      return {
        ...spec,
        nameId: spec.nameId === email ? email.toUpperCase() : spec.nameId,
        attributes: spec.attributes.map((a) => (a.name === EMAIL_ATTRIBUTE ? { ...a, values: a.values.map((v) => v.toUpperCase()) } : a)),
      };
    }),
  },
  {
    id: 'nameid-persistent',
    title: 'A persistent, opaque NameID; the email comes from the email attribute',
    kind: 'valid',
    expect: ACCEPT,
    build: fromSpec((spec) => ({
      ...spec,
      nameIdFormat: NAMEID_FORMAT.persistent,
      // Stable per user and SP, and says nothing about the user (saml-core §8.3.7).
      nameId: `_${createHash('sha256').update(`${spec.issuer}\n${spec.audience}\n${spec.nameId}`).digest('hex').slice(0, 40)}`,
    })),
  },
];

export const PROTOCOL_FAULT_SCENARIOS: readonly ResponseScenario[] = [
  ...TIME_SCENARIOS,
  ...ADDRESSING_SCENARIOS,
  ...CONFIRMATION_SCENARIOS,
  ...ATTRIBUTE_SCENARIOS,
];
