// The SP's OAuth 2.0 authorization server at /restapi/oauth (authorize, sign-in, consent, token).
import { Router } from 'express';
import type { ServiceProvider } from '../sp/service-provider.js';

export function oauthRouter(_sp: ServiceProvider, _baseUrl: string): Router {
  return Router();
}
