// The RingCentral-like SCIM 2.0 API at /scim/v2 (bearer token from the SP's OAuth server).
import { Router } from 'express';
import type { ServiceProvider } from '../sp/service-provider.js';

export function scimRouter(_sp: ServiceProvider): Router {
  return Router();
}
