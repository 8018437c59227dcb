// Sending and receiving Single Logout messages over the two front-channel bindings: the message
// goes to the peer's SingleLogoutService (HTTP-Redirect preferred, else HTTP-POST), signed the way
// the binding signs; an incoming one is decoded and its signature verified with the peer's
// metadata certificates before anything in it is read.
import type { X509Certificate } from 'node:crypto';
import type { SigningKey } from '../crypto/keys.js';
import { HarnessError, type ErrorCode } from '../errors.js';
import { decodePostMessage, encodePostMessage } from './encoding.js';
import { verifyEnvelopedMessage } from './enveloped-message.js';
import { signLogoutMessage } from './logout.js';
import type { SloService } from './metadata-parse.js';
import { buildRedirectUrl, readRedirectQuery, verifyRedirectSignature, type RedirectParam } from './redirect-binding.js';
import { BINDING, type SignatureAlgorithmUrn } from './urn.js';

/** What the browser is sent on to: a redirect, or an auto-posting form. */
export type OutgoingMessage = { kind: 'redirect'; url: string } | { kind: 'post'; action: string; fields: Record<string, string> };

/** A message as it arrived at an SLO endpoint. */
export type IncomingLogoutMessage =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; samlRequest?: string; samlResponse?: string; relayState?: string };

export interface DecodedLogoutMessage {
  param: RedirectParam;
  /** The XML as received (parse it only after `verify`). */
  xml: string;
  relayState?: string;
  binding: 'redirect' | 'post';
  /** Verifies the signature with these certificates and returns the XML to read: the signed bytes for POST. */
  verify(certificates: readonly X509Certificate[], check: { what: string; signer: 'SP' | 'IdP'; code: ErrorCode }): string;
}

export function decodeLogoutMessage(incoming: IncomingLogoutMessage): DecodedLogoutMessage {
  if (incoming.binding === 'redirect') {
    const msg = readRedirectQuery(incoming.rawQuery);
    return {
      param: msg.param,
      xml: msg.xml,
      ...(msg.relayState !== undefined && { relayState: msg.relayState }),
      binding: 'redirect',
      verify: (certificates, check) => {
        let verdict: 'unsigned' | 'verified';
        try {
          verdict = verifyRedirectSignature(msg, certificates, { allowSha1: false });
        } catch (err) {
          // The query-signature check speaks of requests to the IdP; say it with this message's code.
          if (err instanceof HarnessError) {
            const { expected, received } = err.details;
            throw new HarnessError(check.code, err.message.replace(/\bthe request\b/, `the ${check.what}`), {
              ...(expected !== undefined && { expected }),
              ...(received !== undefined && { received }),
            });
          }
          throw err;
        }
        if (verdict !== 'verified') {
          throw new HarnessError(check.code, `the ${check.what} is not signed`, { expected: 'Signature and SigAlg query parameters', received: 'none' });
        }
        return msg.xml;
      },
    };
  }
  const value = incoming.samlRequest ?? incoming.samlResponse;
  if (value === undefined) throw new HarnessError('SAML_MESSAGE_MISSING', 'the POST has neither a SAMLRequest nor a SAMLResponse field');
  const xml = decodePostMessage(value);
  return {
    param: incoming.samlRequest !== undefined ? 'SAMLRequest' : 'SAMLResponse',
    xml,
    ...(incoming.relayState !== undefined && { relayState: incoming.relayState }),
    binding: 'post',
    verify: (certificates, check) => verifyEnvelopedMessage(xml, certificates, { allowSha1: false, ...check }),
  };
}

/** The peer's endpoint for this message: HTTP-Redirect first, then HTTP-POST; undefined when it has none. */
export function pickSloService(services: readonly SloService[] | undefined, param: RedirectParam): { binding: 'redirect' | 'post'; location: string } | undefined {
  const find = (binding: string) => services?.find((s) => s.binding === binding);
  const chosen = find(BINDING.redirect) ?? find(BINDING.post);
  if (!chosen) return undefined;
  const location = param === 'SAMLResponse' ? (chosen.responseLocation ?? chosen.location) : chosen.location;
  return { binding: chosen.binding === BINDING.redirect ? 'redirect' : 'post', location };
}

/** Signs and encodes a LogoutRequest or LogoutResponse for the chosen binding. */
export function sendLogoutMessage(
  to: { binding: 'redirect' | 'post'; location: string },
  param: RedirectParam,
  message: { id: string; xml: string },
  signing: { key: SigningKey; algorithm: SignatureAlgorithmUrn },
  relayState?: string,
): OutgoingMessage {
  if (to.binding === 'redirect') {
    return { kind: 'redirect', url: buildRedirectUrl(to.location, param, message.xml, { ...(relayState !== undefined && { relayState }), signing }) };
  }
  const signed = signLogoutMessage(message.xml, message.id, signing.key, signing.algorithm);
  return { kind: 'post', action: to.location, fields: { [param]: encodePostMessage(signed), ...(relayState !== undefined && { RelayState: relayState }) } };
}
