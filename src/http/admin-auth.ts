// Admin APIs need `Authorization: Bearer <admin token>`; compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HarnessError } from '../errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function requireAdminToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      next(new HarnessError('ADMIN_TOKEN', header ? 'the admin token is not valid' : 'the admin API needs an Authorization header', {
        expected: 'Authorization: Bearer <admin token> (printed at start, or SSO_HARNESS_ADMIN_TOKEN)',
        received: header ? 'another token' : 'no Authorization header',
      }));
      return;
    }
    next();
  };
}
