// The contract of the response scenario catalogue: named, broken or malicious variants of the
// genuine response, each with the verdict a strict SP must reach.
import type { X509Certificate } from 'node:crypto';
import type { SigningKey } from '../../crypto/keys.js';
import type { ErrorCode } from '../../errors.js';
import type { ResponseSpec } from '../response-builder.js';

/** What a strict SP does with the response; `code` is the code our SP answers with. */
export type ExpectedVerdict = { verdict: 'accept' } | { verdict: 'reject'; code: ErrorCode };

export interface ScenarioContext {
  /** The genuine response the IdP would send for this login (signing settings included). */
  spec: ResponseSpec;
  /** A key the SP has never seen; its self-signed certificate goes into KeyInfo. */
  attackerKey: SigningKey;
  /** An RSA-1024 key, for weak-key scenarios. */
  weakKey: SigningKey;
  /** The previous response this application issued (XML), for the replay scenario. */
  previousXml?: string;
  /** The SP's certificate from its metadata (encryption, else signing), for encrypted scenarios. */
  spCertificate?: X509Certificate;
}

export interface ScenarioOutput {
  /** The Response document to post. */
  xml: string;
  /** Replaces the RelayState the SP sent (RelayState scenarios); undefined keeps it. */
  relayState?: string;
}

export interface ResponseScenario {
  /** Stable kebab-case id, e.g. `xsw3`, `wrong-audience`. */
  id: string;
  /** One line: what is wrong with the response. */
  title: string;
  /** The row of the attack catalogue it comes from (1-40); undefined for everyday faults. */
  row?: number;
  kind: 'valid' | 'attack' | 'fault';
  /**
   * Set when the expected verdict follows one SP's own rules rather than SAML's (RingCentral
   * requires the email and number attributes): another SP may rightly decide otherwise, so an audit
   * of a generic SP leaves these out and never counts them as accepted attacks.
   */
  spProfile?: 'ringcentral';
  expect: ExpectedVerdict;
  build(ctx: ScenarioContext): ScenarioOutput;
}
