// The contract between the SP and its response validation pipeline (src/saml/validate/).
import type { X509Certificate } from 'node:crypto';
import type { CheckVerdict, ErrorCode, HarnessError } from '../../errors.js';
import type { MessageLimits } from '../encoding.js';
import type { AssertionDecryption, NamedAlgorithms } from '../encryption.js';

/** What the SP account expects of a response, from its SSO settings and the imported metadata. */
export interface ResponseExpectations {
  /** IdP entity ID imported from the IdP metadata. */
  idpEntityId: string;
  /** Certificates pinned from the IdP metadata; the only keys a signature may verify with. */
  idpCertificates: readonly X509Certificate[];
  /** This SP's entity ID (the Audience). */
  spEntityId: string;
  /** This SP's ACS URL (Destination and Recipient). */
  acsUrl: string;
  /** The clock skew allowed in each direction, in seconds (the account's `sso.clockSkewSec`). */
  allowedClockSkewSec: number;
  nowMs: number;
  /** SHA-1 signatures and digests are refused unless this is on (interop with old IdPs). */
  allowSha1: boolean;
  /** A signature by a pinned certificate past its notAfter is refused (SAML_CERTIFICATE_EXPIRED) unless this is on. */
  allowExpiredCertificate?: boolean;
  /** Smallest RSA key accepted for a signing certificate, in bits. */
  minKeyBits: number;
  /** IdP-initiated (unsolicited) responses are refused unless this is on. */
  allowUnsolicited: boolean;
  /** Where the user's email comes from: a named attribute, or the NameID. */
  emailFrom: { kind: 'attribute'; name: string } | { kind: 'nameid' };
  /** RingCentral needs a `number` attribute; a switch for SPs that don't. */
  requireNumberAttribute: boolean;
  /** Opaque scope the outstanding request must belong to (the SP account id). */
  requestScope: string;
  /** The RelayState posted with the response, if any. */
  relayState?: string;
  /**
   * The login-binding values the posting browser sent (its login cookies; none when it sent
   * none). The SP always gives this, and then a solicited response must come from the browser
   * that started the login; a caller that sees no browser (decode) leaves it out.
   */
  browser?: { nonces: readonly string[] };
  limits?: MessageLimits;
  /** The SP's decryption key and accepted algorithms; without it an EncryptedAssertion is refused. */
  decryption?: AssertionDecryption;
}

/** Server-side state the pipeline consults; kept in the store, with expiry. */
export interface ValidationState {
  /** Removes and returns an outstanding AuthnRequest (single use), or undefined when unknown or expired. */
  takeRequest(id: string): Promise<OutstandingRequest | undefined>;
  /** Remembers an assertion ID until `expiresAtMs`; returns false when it was already remembered. */
  rememberAssertion(id: string, expiresAtMs: number): Promise<boolean>;
}

export interface OutstandingRequest {
  id: string;
  /** The SP account that sent it (compared with `requestScope`). */
  scope: string;
  relayState?: string;
  expiresAtMs: number;
  /** SHA-256 (base64url) of the login-binding nonce of the browser that started the login. */
  browserHash?: string;
}

/** Defined with the error type, which carries the checks that ran up to a failure. */
export type { CheckVerdict };

export interface ValidatedAssertion {
  responseId: string;
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string | undefined;
  sessionIndex: string | undefined;
  /** Attribute name -> values, from the signed assertion only. */
  attributes: Record<string, string[]>;
  email: string;
  number: string | undefined;
  inResponseTo: string | undefined;
  /** The outstanding request this response answered, when solicited. */
  request: OutstandingRequest | undefined;
  notOnOrAfterMs: number;
  /** Which elements the verified signatures covered. */
  signed: { response: boolean; assertion: boolean };
}

export type ValidationResult =
  | { ok: true; assertion: ValidatedAssertion; checks: CheckVerdict[]; xml: string }
  | { ok: false; error: HarnessError; checks: CheckVerdict[]; xml: string | undefined };

/**
 * What the first checks (decode, xml) work on: they need no account, so the SP runs them before it
 * knows which account's expectations apply, and reads the issuer from their DOM.
 */
export interface ReadContext {
  readonly encoded: string;
  readonly limits: MessageLimits;
  xml?: string;
  doc?: Document;
}

/** Mutable context a check reads and fills in; later checks read what earlier ones established. */
export interface ValidationContext extends ReadContext {
  readonly expect: ResponseExpectations;
  readonly state: ValidationState;
  response?: Element;
  /** The Response element from the signed bytes only (when the Response was signed). */
  signedResponse?: Element;
  /** The Assertion element from the signed bytes only; every claim is read from here. */
  assertion?: Element;
  /** The assertion decrypted from the Response's EncryptedAssertion (its own document). */
  decrypted?: DecryptedAssertion;
  result: Partial<ValidatedAssertion>;
}

export interface DecryptedAssertion {
  /** The saml:Assertion parsed from the plaintext: the signature checks read it in place of Response/Assertion. */
  assertion: Element;
  /** The received saml:EncryptedAssertion it came from. */
  encrypted: Element;
  algorithms: NamedAlgorithms;
}

export interface Check {
  id: string;
  title: string;
  /** Runs the check; throws a HarnessError on failure, returns a short detail on success. */
  run(ctx: ValidationContext): Promise<string> | string;
}

/** A check that needs no account expectations (the read phase: decode, xml). */
export interface ReadCheck {
  id: string;
  title: string;
  run(ctx: ReadContext): Promise<string> | string;
}
