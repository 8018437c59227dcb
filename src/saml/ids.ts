import { randomToken } from '../crypto/random-token.js';

/** A SAML ID: an xs:ID (must not start with a digit), 160 bits of randomness. */
export function newSamlId(): string {
  return `_${randomToken(20, 'hex')}`;
}

/**
 * How an IdP spells its Response and Assertion IDs, from real captures (docs/vendor-traits.md):
 * `harness` `_` + 40 hex digits; `jumpcloud` 40 characters (`_` + 39 hex digits); `okta` `id` +
 * 26 decimal digits; `entra` `_` + a GUID. Every style is a valid xs:ID with at least 128 random bits.
 */
export const SAML_ID_STYLES = ['harness', 'jumpcloud', 'okta', 'entra'] as const;
export type SamlIdStyle = (typeof SAML_ID_STYLES)[number];

function decimalDigits(count: number): string {
  // 2 bytes per digit, reduced mod 10: the bias (65536 mod 10 = 6) is far below what an ID needs.
  const hex = randomToken(count * 2, 'hex');
  let out = '';
  for (let i = 0; i < count; i++) out += String(parseInt(hex.slice(i * 4, i * 4 + 4), 16) % 10);
  return out;
}

function guid(): string {
  const h = randomToken(16, 'hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newSamlIdIn(style: SamlIdStyle): string {
  switch (style) {
    case 'harness':
      return newSamlId();
    case 'jumpcloud':
      return `_${randomToken(20, 'hex').slice(0, 39)}`;
    case 'okta':
      return `id${decimalDigits(26)}`;
    case 'entra':
      return `_${guid()}`;
  }
}
