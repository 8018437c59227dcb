// Random tokens for the per-request path (SAML IDs, session IDs, CSP nonces), drawn from a pool of
// CSPRNG bytes: one randomFillSync per 4 KB instead of one call per token (the way Node serves
// randomUUID). Every byte of the pool is handed out once.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` fresh random bytes (at most 256), encoded. */
export function randomToken(bytes: number, encoding: 'hex' | 'base64' | 'base64url'): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 256) throw new RangeError(`randomToken: ${bytes} bytes is out of range (1-256)`);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString(encoding, offset, offset + bytes);
  offset += bytes;
  return token;
}

/**
 * A base64url token that never begins with "-", for a secret a user passes on a command line,
 * where `--token -abc…` reads as an option. A token that would is drawn again rather than
 * altered, so every character stays uniformly random over what it may be.
 */
export function commandLineSafeToken(bytes: number): string {
  for (;;) {
    const token = randomToken(bytes, 'base64url');
    if (!token.startsWith('-')) return token;
  }
}
