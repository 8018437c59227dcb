// SSO is active for the application: a deactivated application issues no assertion,
// whoever asks (the seeds' "Deactivate SSO" removal step).
import { HarnessError } from '../../errors.js';
import type { RequestCheck } from './types.js';

export const ssoActive: RequestCheck = {
  id: 'sso-active',
  title: 'SSO is active for the application',
  run(ctx) {
    const { app } = ctx.expect;
    if (!app.ssoActive) throw new HarnessError('IDP_SSO_INACTIVE', `SSO is deactivated for ${app.displayLabel}`);
    return `SSO is active for ${app.displayLabel}`;
  },
};
