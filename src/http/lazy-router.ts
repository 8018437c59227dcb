// A router whose module loads on its first request instead of at start: the admin, SCIM, OAuth
// and debug routes (and what they import) cost nothing until something asks for them.
import type { RequestHandler } from 'express';

export type LazyRouter = RequestHandler & {
  /** Builds the router now (once, shared with the requests), e.g. to list the routes it serves. */
  load(): Promise<RequestHandler>;
};

/**
 * Mounts like the router `build` resolves to. Requests that arrive while it loads wait for it;
 * a failed load answers those requests with the error and is tried again on the next one.
 */
export function lazyRouter(build: () => Promise<RequestHandler>): LazyRouter {
  let router: RequestHandler | undefined;
  let loading: Promise<RequestHandler> | undefined;
  const load = (): Promise<RequestHandler> => {
    loading ??= build().then(
      (built) => (router = built),
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };
  const handler: RequestHandler = (req, res, next) => {
    if (router) return router(req, res, next);
    load().then((built) => built(req, res, next), next);
  };
  return Object.assign(handler, { load });
}
