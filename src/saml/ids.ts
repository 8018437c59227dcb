import { randomBytes } from 'node:crypto';

/** A SAML ID: an xs:ID (must not start with a digit), 160 bits of randomness. */
export function newSamlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}
