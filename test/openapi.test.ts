import assert from 'node:assert/strict';
import { compileErrors, validate } from '@readme/openapi-parser';
import request from 'supertest';
import { createApp, type HarnessApp } from '../src/harness/app.js';
import { ROUTE_GROUPS } from '../src/http/openapi/document.js';
import { ADMIN_TOKEN } from './support/harness.js';
import { fixturePem } from './support/keys.js';
import { servedRoutes, type ServedRoute } from './support/served-routes.js';

type Document = { paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>; components: { schemas: Record<string, { properties?: Record<string, { description?: string }> }> } };

/** The mount points the document covers: the admin APIs, SCIM, OAuth and the description itself. */
const PREFIXES = ['/idp/api', '/sp/api', '/debug/api', '/scim/v2', '/restapi/oauth', '/api'];
const covered = (path: string): boolean => PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
const toOpenApi = (path: string): string => path.replace(/:(\w+)/g, '{$1}');
const key = (r: ServedRoute): string => `${r.method.toUpperCase()} ${toOpenApi(r.path)}`;

describe('GET /api/openapi.json', () => {
  let app: HarnessApp;
  let doc: Document;

  before(async () => {
    app = await createApp({ adminToken: ADMIN_TOKEN, keys: { idp: fixturePem('idp'), sp: fixturePem('sp') }, log: () => undefined });
    const res = await request(app).get('/api/openapi.json').expect(200).expect('content-type', /application\/json/);
    doc = res.body as Document;
  });
  after(() => app.harness.stop());

  it('is served without the admin token', async () => {
    await request(app).get('/idp/api/apps').expect(401);
    assert.equal((doc as unknown as { openapi: string }).openapi, '3.1.0');
  });

  it('describes every route the app serves under the admin, SCIM, OAuth and description prefixes', async () => {
    const described = new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => k !== 'servers').map((m) => `${m.toUpperCase()} ${path}`)));
    const undescribed = new Set(ROUTE_GROUPS.flatMap((g) => (g.undescribed ?? []).map((u) => key({ method: u.method, path: g.prefix + u.path }))));
    const served = (await servedRoutes(app)).filter((r) => covered(r.path));
    assert.ok(served.length > 50, `found only ${served.length} routes: the walk missed the lazily loaded routers`);
    const missing = served.map(key).filter((k) => !described.has(k) && !undescribed.has(k));
    assert.deepEqual(missing, [], 'add an entry for each of these routes to its group in src/http/openapi/*-doc.ts');
  });

  it('describes no route the app does not serve', async () => {
    const served = new Set((await servedRoutes(app)).map(key));
    const stale = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => m !== 'servers')
        .map((m) => `${m.toUpperCase()} ${path}`)
        .filter((k) => !served.has(k)),
    );
    const staleUndescribed = ROUTE_GROUPS.flatMap((g) => (g.undescribed ?? []).map((u) => key({ method: u.method, path: g.prefix + u.path }))).filter((k) => !served.has(k));
    assert.deepEqual([...stale, ...staleUndescribed], []);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc) as never);
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
    assert.deepEqual(result.warnings, []);
  });

  it('asks for the admin token on the admin APIs and an OAuth access token on SCIM', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'servers') continue;
        const want = /^\/(idp|sp|debug)\/api\//.test(path)
          ? [{ adminToken: [] }]
          : path.startsWith('/scim/v2/') && path !== '/scim/v2/health'
            ? [{ scimOAuth: ['SCIM'] }]
            : undefined;
        if (want) assert.deepEqual(op.security, want, `${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(doc.paths['/api/openapi.json']?.get?.security, []);
  });

  it('describes every SP account and IdP application setting', () => {
    for (const name of ['SsoSettings', 'ScimSettings', 'AppSettings', 'AppCreate']) {
      const props = doc.components.schemas[name]?.properties ?? {};
      assert.ok(Object.keys(props).length > 3, `${name} has its properties`);
      const bare = Object.entries(props).filter(([, p]) => !p.description).map(([k]) => k);
      assert.deepEqual(bare, [], `${name}: .describe() these fields`);
    }
  });

  it('answers a bad request to a route with the error body the document names', async () => {
    const adminCall = (method: 'get' | 'put', path: string) => request(app)[method](path).set('authorization', `Bearer ${ADMIN_TOKEN}`);
    for (const [path, body, field] of [
      ['/idp/api/clock', { skewMs: 'soon' }, 'skewMs'],
      ['/idp/api/clock', { skewMs: 1e300 }, 'skewMs'],
      ['/idp/api/next-response', { app: 'ringcentral' }, 'scenario'],
      ['/idp/api/apps/any/sp-metadata', { xml: ' ' }, 'xml'],
    ] as const) {
      const res = await adminCall('put', path).send(body).expect(400);
      assert.equal(res.body.error, 'INPUT_INVALID');
      assert.ok(res.body.fields[field], `${path}: ${JSON.stringify(res.body)}`);
    }
    const traces = await adminCall('get', '/debug/api/traces?side=both').expect(400);
    assert.ok(traces.body.fields.side, JSON.stringify(traces.body));
    const scim = await request(app).get('/scim/v2/Users').expect(401);
    assert.deepEqual(scim.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
