// Password hashing with scrypt (node:crypto). Stored form: scrypt$N$r$p$salt$hash (base64).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PasswordHashCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt floor (N=2^17 is the stronger choice; 2^14 keeps logins fast in test suites). */
export const DEFAULT_PASSWORD_COST: PasswordHashCost = { N: 2 ** 14, r: 8, p: 1 };

function derive(password: string, salt: Buffer, cost: PasswordHashCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: PasswordHashCost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
