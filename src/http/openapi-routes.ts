// GET /api/openapi.json: the OpenAPI 3.1 description of the admin, SCIM and OAuth routes. Open to
// anyone, like the metadata: it describes routes and holds no secret (no token, user or setting).
import { Router } from 'express';
import { openApiDocument, type DocumentOrigins } from './openapi/document.js';

export function openApiRouter(origins: DocumentOrigins): Router {
  const r = Router();
  // Built on the first request and kept: the routes and their schemas do not change at run time.
  let body: string | undefined;
  r.get('/openapi.json', (_req, res) => {
    body ??= JSON.stringify(openApiDocument(origins));
    res.type('json').send(body);
  });
  return r;
}
