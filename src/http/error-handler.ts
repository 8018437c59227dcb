// The one place errors reach a client: a HarnessError becomes JSON (APIs, or when JSON is
// asked for) or an explanation page; anything else becomes a generic 500 and a log line.
import type { ErrorRequestHandler, Request } from 'express';
import { HarnessError } from '../errors.js';
import { errorPage } from './views/pages.js';

export function wantsJson(req: Request): boolean {
  if (/^\/((idp|sp|debug)\/)?api\//.test(req.path)) return true;
  const accept = req.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Maps errors thrown by body parsers and express itself onto harness codes. */
function fromHttpError(err: { status?: number; type?: string; message?: string }): HarnessError | undefined {
  if (err.type === 'entity.too.large') return new HarnessError('BODY_TOO_LARGE', 'the request body is too large');
  if (err.type === 'entity.parse.failed') {
    return new HarnessError('INPUT_INVALID', 'the request body is not valid JSON', { expected: 'a JSON object' });
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return new HarnessError('INPUT_INVALID', `the request could not be read (${err.type ?? err.status})`);
  }
  return undefined;
}

export function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof HarnessError ? err : fromHttpError(err as { status?: number });
    const error = known ?? new HarnessError('INTERNAL', 'unexpected error');
    if (!known) log(`error ${req.method} ${req.path}: ${(err as Error)?.stack ?? String(err)}`);
    if (res.headersSent) return;
    res.status(error.status);
    if (error.code === 'ADMIN_TOKEN') res.set('WWW-Authenticate', 'Bearer realm="sso-harness admin"');
    if (error.details.retryAfterSec !== undefined) res.set('Retry-After', String(error.details.retryAfterSec));
    if (wantsJson(req)) res.json(error.toJSON());
    else res.type('html').send(errorPage(error));
  };
}
