import assert from 'node:assert/strict';
import express, { Router, type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { lazyRouter } from '../src/http/lazy-router.js';

function appWith(build: () => Promise<Router>): express.Express {
  const app = express();
  app.use('/lazy', lazyRouter(build));
  const onError: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(500).json({ error: err.message });
  };
  app.use(onError);
  return app;
}

function helloRouter(): Router {
  const r = Router();
  r.get('/hello', (req, res) => {
    res.json({ path: req.path, baseUrl: req.baseUrl });
  });
  return r;
}

describe('lazyRouter', () => {
  it('builds the router on the first request, once, and mounts it like the router itself', async () => {
    let builds = 0;
    const app = appWith(async () => {
      builds++;
      return helloRouter();
    });
    assert.equal(builds, 0);
    const [a, b] = await Promise.all([request(app).get('/lazy/hello').expect(200), request(app).get('/lazy/hello').expect(200)]);
    assert.deepEqual(a.body, { path: '/hello', baseUrl: '/lazy' });
    assert.deepEqual(b.body, a.body);
    await request(app).get('/lazy/missing').expect(404);
    assert.equal(builds, 1);
  });

  it('answers with the error when the build fails, and builds again on the next request', async () => {
    let builds = 0;
    const app = appWith(async () => {
      if (++builds === 1) throw new Error('module not found');
      return helloRouter();
    });
    const failed = await request(app).get('/lazy/hello').expect(500);
    assert.equal(failed.body.error, 'module not found');
    await request(app).get('/lazy/hello').expect(200);
    assert.equal(builds, 2);
  });
});

describe('lazyRouter load()', () => {
  it('builds the router the requests then use, once', async () => {
    let builds = 0;
    const lazy = lazyRouter(async () => {
      builds++;
      return helloRouter();
    });
    const app = express();
    app.use('/lazy', lazy);
    const [loaded] = await Promise.all([lazy.load(), request(app).get('/lazy/hello').expect(200)]);
    assert.equal(typeof (loaded as Router).stack, 'object', 'load() resolves to the router itself');
    await lazy.load();
    assert.equal(builds, 1);
  });
});
