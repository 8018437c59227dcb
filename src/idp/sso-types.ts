// What the IdP's SSO service holds and answers: a login waiting for the user to sign in, the IdP
// session with the SPs it signed in to, and the Response (or SAML error Response) it issues.
import type { IdpApp, IdpUser } from './model.js';

/** An AuthnRequest that passed the checks, waiting for the user to sign in. */
export interface PendingLogin {
  key: string;
  appId: string;
  requestId: string;
  spEntityId: string;
  acsUrl: string;
  relayState?: string;
  binding: 'redirect' | 'post';
  forceAuthn: boolean;
  /** The requested Subject's NameID (the email typed at the SP): the sign-in page's login field starts with it. */
  loginHint?: string;
  /** IdP-initiated: no AuthnRequest to answer, so the Response has no InResponseTo (`requestId` only names the flow). */
  unsolicited?: boolean;
  /** The browser that brought the request (a digest of its browser cookie), once parked. */
  browser?: string;
}

/** One SP the user signed in to during the IdP session: what its LogoutRequest must name. */
export interface SloParticipant {
  appId: string;
  nameId: string;
  nameIdFormat: string;
}

export interface IdpSession {
  id: string;
  userId: string;
  authnInstantMs: number;
  sessionIndex: string;
  /** The SPs the user got an assertion for in this session (Single Logout asks each of them). */
  participants?: SloParticipant[];
}

export interface IssuedResponse {
  acsUrl: string;
  samlResponse: string;
  relayState?: string;
  /** The response scenario used (`valid` for the genuine response). */
  scenario: string;
  xml: string;
  user: IdpUser;
}

/** A SAML error Response for the SP (not a page for the browser), auto-posted to its ACS. */
export interface ErrorAnswer {
  acsUrl: string;
  samlResponse: string;
  relayState?: string;
}

/** A login and the application it is for, as answering it needs both. */
export interface LoginFor {
  pending: PendingLogin;
  app: IdpApp;
}

/**
 * What an AuthnRequest that passed the checks starts (`login`), or, for a genuine request the IdP
 * cannot serve as asked (an unsupported ProtocolBinding), the SAML error Response that answers it.
 */
export type ReceivedRequest = ({ kind: 'login' } & LoginFor) | { kind: 'error-response'; answer: ErrorAnswer };
