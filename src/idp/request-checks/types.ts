// The contract between the IdP's SSO service and its AuthnRequest checks (this folder): what the
// application expects of a request, the state the single-use check keeps, and the context each
// check reads and fills in. The verdicts have the SP's shape (CheckVerdict), so the trace shows
// both sides' checks alike.
import type { X509Certificate } from 'node:crypto';
import type { HarnessError } from '../../errors.js';
import type { ParsedAuthnRequest } from '../../saml/authn-request.js';
import type { RedirectMessage } from '../../saml/redirect-binding.js';
import type { CheckVerdict } from '../../saml/validate/types.js';
import type { AcsEndpoint, IdpApp } from '../model.js';

export type IncomingRequest =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; samlRequest: string; relayState?: string };

/** What the application and the IdP's settings expect of an AuthnRequest. */
export interface RequestExpectations {
  app: IdpApp;
  /** Settings the application still lacks (placeholders, no SP values). */
  missingSettings: readonly string[];
  /** The SP metadata certificates: the only keys a request signature may verify with. */
  spCertificates: readonly X509Certificate[];
  /** The SSO URLs this application is served at (its Destination must be one of them). */
  ssoUrls: readonly string[];
  /** The IdP's clock. */
  nowMs: number;
  /** The clock skew allowed in each direction, in seconds (`idp.clockSkewSec`). */
  allowedClockSkewSec: number;
  /** How old an IssueInstant may be, before the skew, in milliseconds. */
  maxAgeMs: number;
}

/** Server-side state the checks consult; kept in the store, with expiry. */
export interface RequestState {
  /** Remembers a request ID of one SP until `expiresAtMs`; false when it was already remembered. */
  rememberRequest(spEntityId: string, id: string, expiresAtMs: number): Promise<boolean>;
}

/** Mutable context a check reads and fills in; later checks read what earlier ones established. */
export interface RequestContext {
  readonly message: IncomingRequest;
  readonly expect: RequestExpectations;
  readonly state: RequestState;
  xml?: string;
  relayState?: string;
  /** The Redirect binding's query, read once (its signature covers these bytes). */
  redirect?: RedirectMessage;
  /** The request; from the signature check on, read from the signed bytes only when it was signed. */
  request?: ParsedAuthnRequest;
  /** Whether a signature (Redirect query or enveloped) verified. */
  signed?: boolean;
  /** The ACS the Response goes to. */
  acs?: AcsEndpoint;
}

export interface RequestCheck {
  id: string;
  /** One line: what the check verifies and the attack it stops. */
  title: string;
  /** Runs the check; throws a HarnessError on failure, returns a short detail on success. */
  run(ctx: RequestContext): Promise<string> | string;
}

export type RequestCheckResult =
  | { ok: true; ctx: RequestContext; request: ParsedAuthnRequest; acs: AcsEndpoint; checks: CheckVerdict[] }
  | { ok: false; ctx: RequestContext; error: HarnessError; checks: CheckVerdict[] };
