// Runs the SP's response checks (src/saml/validate/pipeline.ts) on a captured message, outside any
// SP: the pinned certificates come from the command line, and every other expectation the caller
// did not give is taken from the message itself so the check can still run its structural part,
// then reported as 'skip' (never 'pass'): a value compared with itself proves nothing.
// State is not kept: InResponseTo is unknown-but-fine unless a request ID is given, the
// RelayState sent is unknown, and replay cannot be told from a first use.
import type { X509Certificate } from 'node:crypto';
import { HarnessError, isHarnessError } from '../errors.js';
import { attr, childElements, descendants, firstChild, textOf } from '../saml/dom.js';
import { encodePostMessage } from '../saml/encoding.js';
import { documentElement, parseXml } from '../saml/parse.js';
import { verifyRedirectSignature } from '../saml/redirect-binding.js';
import { NS } from '../saml/urn.js';
import { RESPONSE_CHECKS, runChecks } from '../saml/validate/pipeline.js';
import type { CheckVerdict, OutstandingRequest, ResponseExpectations, ValidationState } from '../saml/validate/types.js';
import type { FoundMessage } from './messages.js';

export interface DecodeExpectations {
  /** Pinned IdP certificates (`--cert`, or the signing certificates of `--metadata`). */
  certificates: readonly X509Certificate[];
  /** The IdP entity ID, known from `--metadata` only. */
  idpEntityId?: string;
  /** The SP entity ID the assertion must be addressed to (`--audience`). */
  audience?: string;
  /** The SP's ACS URL (`--acs`): Destination and Recipient. */
  acsUrl?: string;
  /** `--now`; default the Response's IssueInstant, so an old capture can be checked. */
  nowMs?: number;
  /** `--request-id`: the AuthnRequest the response must answer. */
  requestId?: string;
  /** `--skew`: the clock skew allowed, in seconds. */
  allowedClockSkewSec?: number;
  allowSha1?: boolean;
  /** When neither `nowMs` nor a readable IssueInstant gives the time. */
  fallbackNowMs: number;
}

export interface MessageCheckReport {
  ok: boolean;
  /** The time the checks ran at, ISO. */
  checkedAt?: string;
  checks: CheckVerdict[];
}

export const DECODE_ALLOWED_CLOCK_SKEW_SEC = 180;
const MIN_KEY_BITS = 2048;
const DECODE_SCOPE = 'decode';

function text(e: Element | undefined): string | undefined {
  const value = textOf(e);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Values read from the (unverified) message, used only where the caller gave none. */
function readClaims(root: Element) {
  const assertion = firstChild(root, NS.assertion, 'Assertion');
  const subject = assertion && firstChild(assertion, NS.assertion, 'Subject');
  const data = subject ? descendants(subject, NS.assertion, 'SubjectConfirmationData')[0] : undefined;
  const audience = assertion ? descendants(assertion, NS.assertion, 'Audience')[0] : undefined;
  const statement = assertion && firstChild(assertion, NS.assertion, 'AttributeStatement');
  const firstAttribute = statement ? attr(childElements(statement, NS.assertion, 'Attribute')[0], 'Name') : undefined;
  const issueInstant = Date.parse(attr(root, 'IssueInstant') ?? '');
  return {
    issuer: text(assertion && firstChild(assertion, NS.assertion, 'Issuer')),
    audience: text(audience),
    acs: attr(root, 'Destination') ?? attr(data, 'Recipient'),
    nameId: text(subject && firstChild(subject, NS.assertion, 'NameID')),
    firstAttribute,
    issueInstantMs: Number.isNaN(issueInstant) ? undefined : issueInstant,
  };
}

function statelessState(requestId: string | undefined, relayState: string | undefined): ValidationState {
  return {
    takeRequest(id: string): Promise<OutstandingRequest | undefined> {
      if (requestId !== undefined && id !== requestId) return Promise.resolve(undefined);
      return Promise.resolve({ id, scope: DECODE_SCOPE, expiresAtMs: Number.POSITIVE_INFINITY, ...(relayState !== undefined && { relayState }) });
    },
    rememberAssertion: () => Promise.resolve(true),
  };
}

async function checkResponse(msg: FoundMessage, root: Element, given: DecodeExpectations): Promise<MessageCheckReport> {
  const claims = readClaims(root);
  const nowMs = given.nowMs ?? claims.issueInstantMs ?? given.fallbackNowMs;
  const unknown = new Map<string, string>();
  if (given.idpEntityId === undefined) unknown.set('issuer', 'no --metadata, so the IdP entity ID is unknown');
  if (given.audience === undefined) unknown.set('audience', 'no --audience');
  if (given.acsUrl === undefined) {
    unknown.set('destination', 'no --acs');
    unknown.set('subject-confirmation', 'no --acs');
  }
  unknown.set('attributes', "the SP's email mapping is unknown");
  if (given.requestId === undefined) unknown.set('in-response-to', 'no --request-id');
  unknown.set('relay-state', 'the RelayState the SP sent is unknown');
  unknown.set('browser-binding', 'decode sees no browser');
  unknown.set('replay', 'decode keeps no record of assertions seen');

  const expect: ResponseExpectations = {
    idpEntityId: given.idpEntityId ?? claims.issuer ?? '',
    idpCertificates: given.certificates,
    spEntityId: given.audience ?? claims.audience ?? '',
    acsUrl: given.acsUrl ?? claims.acs ?? '',
    allowedClockSkewSec: given.allowedClockSkewSec ?? DECODE_ALLOWED_CLOCK_SKEW_SEC,
    nowMs,
    allowSha1: given.allowSha1 ?? false,
    minKeyBits: MIN_KEY_BITS,
    allowUnsolicited: given.requestId === undefined,
    emailFrom: claims.nameId !== undefined || claims.firstAttribute === undefined ? { kind: 'nameid' } : { kind: 'attribute', name: claims.firstAttribute },
    requireNumberAttribute: false,
    requestScope: DECODE_SCOPE,
    ...(msg.relayState !== undefined && { relayState: msg.relayState }),
  };
  const result = await runChecks(RESPONSE_CHECKS, encodePostMessage(msg.xml), expect, statelessState(given.requestId, msg.relayState));
  const checks = result.checks.map((v): CheckVerdict => {
    const reason = unknown.get(v.check);
    if (reason === undefined || v.verdict !== 'pass') return v;
    // What these said rests on values decode made up or does not have: it means nothing.
    const said = v.check === 'replay' || v.check === 'relay-state' || v.check === 'browser-binding' ? '' : `; the message says: ${v.detail}`;
    return { ...v, verdict: 'skip', detail: `not checked (${reason})${said}` };
  });
  return { ok: result.ok, checkedAt: new Date(nowMs).toISOString(), checks };
}

/** Requests and logout messages: the Redirect query signature, when there is one. */
function checkOtherMessage(msg: FoundMessage, expect: DecodeExpectations): MessageCheckReport {
  const verdict = (v: CheckVerdict['verdict'], detail: string, code?: CheckVerdict['code']): CheckVerdict => ({
    check: 'signature',
    title: 'The message signature verifies with a given certificate',
    verdict: v,
    detail,
    ...(code && { code }),
  });
  let check: CheckVerdict;
  if (msg.messageType === 'AuthnRequest') {
    check = verdict('skip', 'not checked: an AuthnRequest is signed by the SP, and --cert/--metadata pin the IdP');
  } else if (msg.binding !== 'redirect' || (msg.signature === undefined && msg.sigAlg === undefined)) {
    check = verdict('skip', msg.binding === 'redirect' ? 'the query carries no signature' : 'not checked: only Response signatures are verified in the POST binding');
  } else {
    try {
      verifyRedirectSignature(
        { param: msg.param, xml: msg.xml, ...(msg.sigAlg !== undefined && { sigAlg: msg.sigAlg }), ...(msg.signature !== undefined && { signature: msg.signature }), ...(msg.signedBytes !== undefined && { signedBytes: msg.signedBytes }) },
        expect.certificates,
        { allowSha1: expect.allowSha1 ?? false },
      );
      check = verdict('pass', `query signature (${msg.sigAlg ?? ''}) verified`);
    } catch (err) {
      if (!isHarnessError(err)) throw err;
      check = verdict('fail', err.message, err.code);
    }
  }
  return { ok: check.verdict !== 'fail', checks: [check] };
}

/** The verdicts for one message; never throws for bad input. */
export async function checkMessage(msg: FoundMessage, expect: DecodeExpectations): Promise<MessageCheckReport> {
  let root: Element;
  try {
    root = documentElement(parseXml(msg.xml));
  } catch (err) {
    const e = isHarnessError(err) ? err : new HarnessError('SAML_XML_MALFORMED', String(err));
    return { ok: false, checks: [{ check: 'xml', title: 'Well-formed XML', verdict: 'fail', detail: e.message, code: e.code }] };
  }
  if (root.namespaceURI === NS.protocol && root.localName === 'Response') return checkResponse(msg, root, expect);
  return checkOtherMessage(msg, expect);
}
