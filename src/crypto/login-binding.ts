// The value that binds a login in progress to the browser that started it: the browser holds a
// random nonce (in a cookie), the server keeps only its SHA-256, and a later request proves it is
// the same browser by showing the nonce. Compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { randomToken } from './random-token.js';

/** A fresh nonce: 32 random bytes, base64url (43 characters). */
export function newLoginNonce(): string {
  return randomToken(32, 'base64url');
}

/** Whether `value` has the shape of a nonce this module hands out (anything else is ignored). */
export function isLoginNonce(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** What the server keeps: the SHA-256 of the nonce, base64url. */
export function loginNonceHash(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('base64url');
}

/** True when one of `nonces` hashes to `hash`; each comparison takes the same time whatever matches. */
export function matchesLoginNonce(hash: string, nonces: readonly string[]): boolean {
  const expected = Buffer.from(hash, 'base64url');
  let matched = false;
  for (const nonce of nonces) {
    const actual = createHash('sha256').update(nonce, 'utf8').digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
  }
  return matched;
}
