// The harness's error exit: a HarnessError becomes JSON (APIs, or when JSON is asked for) or a
// page (the flow's own page shown again, or the explanation page), with the headers it carries;
// anything else becomes a generic 500 and a log line. The SCIM and OAuth routers have their own
// exits for their RFC formats (scim-error-handler.ts, oauth-error-handler.ts).
import type { ErrorRequestHandler, Request } from 'express';
import { HarnessError } from '../errors.js';
import { errorPage } from './views/pages.js';

export function wantsJson(req: Request): boolean {
  if (/^\/((idp|sp|debug)\/)?api\//.test(req.path)) return true;
  const accept = req.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** The log line of an error no handler expected: where it happened and its stack. */
export function logUnexpected(log: (line: string) => void, req: Request, err: unknown): void {
  log(`error ${req.method} ${req.originalUrl.split('?')[0]}: ${(err as Error | undefined)?.stack ?? String(err)}`);
}

/** Maps errors thrown by body parsers and express itself onto harness codes. */
function fromHttpError(err: { status?: number; type?: string; message?: string } | null | undefined): HarnessError | undefined {
  if (err?.type === 'entity.too.large') return new HarnessError('BODY_TOO_LARGE', 'the request body is too large');
  if (err?.type === 'entity.parse.failed') {
    return new HarnessError('INPUT_INVALID', 'the request body is not valid JSON', { expected: 'a JSON object' });
  }
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    return new HarnessError('INPUT_INVALID', `the request could not be read (${err.type ?? err.status})`);
  }
  return undefined;
}

/** The HTML answer: the flow's page shown again when the error names one, else the error page. */
async function pageOf(error: HarnessError): Promise<string> {
  const view = error.view;
  if (view?.page) return view.page();
  return errorPage(error, error.checks ?? [], view?.heading);
}

export function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return async (err, req, res, _next) => {
    const known = err instanceof HarnessError ? err : fromHttpError(err as { status?: number });
    const error = known ?? new HarnessError('INTERNAL', 'unexpected error');
    if (!known) logUnexpected(log, req, err);
    if (res.headersSent) return;
    if (wantsJson(req)) {
      res.status(error.status).set(error.headers).json(error.toJSON());
      return;
    }
    let html: string;
    try {
      html = await pageOf(error);
    } catch (renderErr) {
      // The page could not be built (its data is gone): the error page still says what failed.
      logUnexpected(log, req, renderErr);
      html = errorPage(error, error.checks ?? [], error.view?.heading);
    }
    if (!res.headersSent) res.status(error.status).set(error.headers).type('html').send(html);
  };
}
