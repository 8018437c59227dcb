import { randomToken } from '../crypto/random-token.js';

/** A SAML ID: an xs:ID (must not start with a digit), 160 bits of randomness. */
export function newSamlId(): string {
  return `_${randomToken(20, 'hex')}`;
}
