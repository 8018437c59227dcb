// The token and revocation endpoints' error exit: their errors leave as RFC 6749 §5.2 bodies
// with the headers they carry (WWW-Authenticate for invalid_client, Allow for a wrong method);
// any other error goes on to the harness's own exit.
import type { ErrorRequestHandler } from 'express';
import { HarnessError } from '../errors.js';
import { tokenErrorBodyOf } from '../sp/oauth/errors.js';

export function oauthErrorHandler(): ErrorRequestHandler {
  return (err, _req, res, next) => {
    const body = err instanceof HarnessError ? tokenErrorBodyOf(err) : undefined;
    if (!(err instanceof HarnessError) || !body || res.headersSent) {
      next(err);
      return;
    }
    res.status(err.status).set(err.headers).set('Pragma', 'no-cache').json(body);
  };
}
