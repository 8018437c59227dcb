// Only an active user signs in, by SAML or by password; each other state says why.
import { HarnessError } from '../errors.js';
import type { SpUser } from './model.js';

export function assertActive(user: SpUser): void {
  if (user.status === 'pending') {
    throw new HarnessError('SP_USER_PENDING', `${user.email} has not activated the account yet`, {
      expected: 'an active user',
      received: 'pending (activation email not used yet)',
    });
  }
  if (user.status !== 'active') {
    throw new HarnessError('SP_USER_INACTIVE', `${user.email} is deactivated`, { expected: 'an active user', received: user.status });
  }
}
