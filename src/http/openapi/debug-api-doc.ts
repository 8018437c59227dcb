// The trace API (src/http/debug-routes.ts) and the description itself, described.
import { traceListQuery } from '../debug-routes.js';
import { A_LIST, ADMIN_API, noContent, ok, type RouteGroup } from './route-doc.js';

export const debugApiDoc: RouteGroup = {
  prefix: '/debug/api',
  tag: 'Trace',
  description: "Every SAML exchange both sides recorded, decoded, with each check's verdict (they hold users' assertions: admin token).",
  ...ADMIN_API,
  params: { id: 'a trace entry id' },
  routes: [
    { method: 'get', path: '/traces', summary: 'List trace entries', query: traceListQuery, replies: [ok('The entries, oldest first.', A_LIST)] },
    { method: 'get', path: '/traces/:id', summary: 'One trace entry', replies: [ok('The entry: message, decoded XML, checks, error.')] },
    { method: 'delete', path: '/traces', summary: 'Clear the trace', replies: [noContent('Cleared.')] },
  ],
};

export const openApiDoc: RouteGroup = {
  prefix: '/api',
  tag: 'Description',
  description: 'This document.',
  security: [],
  errors: 'harness',
  mediaType: 'application/json',
  params: {},
  routes: [
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      description: 'Open to anyone: it describes the routes and holds no secrets (no token, no user, no setting value).',
      public: true,
      replies: [ok('The OpenAPI document.')],
    },
  ],
};
