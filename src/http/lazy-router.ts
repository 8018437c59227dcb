// A router whose module loads on its first request instead of at start: the admin, SCIM, OAuth
// and debug routes (and what they import) cost nothing until something asks for them.
import type { RequestHandler } from 'express';

/**
 * Mounts like the router `build` resolves to. Requests that arrive while it loads wait for it;
 * a failed load answers those requests with the error and is tried again on the next one.
 */
export function lazyRouter(build: () => Promise<RequestHandler>): RequestHandler {
  let router: RequestHandler | undefined;
  let loading: Promise<RequestHandler> | undefined;
  return (req, res, next) => {
    if (router) return router(req, res, next);
    loading ??= build().then((built) => (router = built));
    loading.then(
      (built) => built(req, res, next),
      (err: unknown) => {
        loading = undefined;
        next(err);
      },
    );
  };
}
