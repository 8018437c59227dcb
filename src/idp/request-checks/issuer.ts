// The request comes from the SP this application is configured for: its Issuer is the
// application's SP Entity ID. Stops one SP asking for assertions meant for another.
import { HarnessError } from '../../errors.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

export const issuer: RequestCheck = {
  id: 'issuer',
  title: "The Issuer is this application's SP Entity ID",
  run(ctx) {
    const { app } = ctx.expect;
    const request = requestOf(ctx);
    if (request.issuer !== app.sp.entityId) {
      throw new HarnessError('IDP_SP_UNKNOWN', `the AuthnRequest comes from ${request.issuer}, not from this application's SP`, {
        expected: app.sp.entityId,
        received: request.issuer,
      });
    }
    return request.issuer;
  },
};
