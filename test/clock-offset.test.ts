// The simulated offset of a side's clock: set by the harness config, the clock itself or the
// admin API, and under its older names (skew, skewMs) as well.
import assert from 'node:assert/strict';
import request from 'supertest';
import { ControllableClock } from '../src/clock.js';
import { createApp, type HarnessApp } from '../src/harness/app.js';
import { resolveConfig } from '../src/harness/config.js';
import { ADMIN_TOKEN } from './support/harness.js';
import { fixturePem } from './support/keys.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');

describe('ControllableClock offset', () => {
  it('moves what a child clock reads by its own offset, and replaces the offset when set again', () => {
    const root = new ControllableClock().freeze(T0);
    const child = root.withOffset(90_000);
    assert.equal(child.now(), T0 + 90_000);
    child.setOffset(-5000);
    assert.equal(child.offsetMs, -5000);
    assert.equal(child.now(), T0 - 5000);
    root.advance(1000);
    assert.equal(child.now(), T0 + 1000 - 5000);
  });

  it('answers to the older names skew, skewMs and withSkew alike', () => {
    const root = new ControllableClock().freeze(T0);
    const child = root.withSkew(60_000);
    assert.equal(child.offsetMs, 60_000);
    child.skew(7000);
    assert.equal(child.now(), T0 + 7000);
    assert.equal(child.skewMs, 7000);
  });
});

describe('clockOffsetMs in the harness config', () => {
  it('defaults to no offset on either side', () => {
    assert.deepEqual(resolveConfig({ log: () => undefined }).clockOffsetMs, { idp: 0, sp: 0 });
  });

  it('refuses an offset past ten years, naming the side', () => {
    assert.throws(() => resolveConfig({ clockOffsetMs: { sp: 1e15 } }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(err.message, /clockOffsetMs\.sp: /);
      return true;
    });
  });
});

describe('the IdP clock offset', () => {
  let app: HarnessApp;
  before(async () => {
    const clock = new ControllableClock().freeze(T0);
    app = await createApp({ adminToken: ADMIN_TOKEN, keys: { idp: fixturePem('idp'), sp: fixturePem('sp') }, clock, clockOffsetMs: { idp: 120_000, sp: -30_000 }, log: () => undefined });
  });
  after(() => app.harness.stop());
  const adminCall = (method: 'get' | 'put', path: string) => request(app)[method](path).set('authorization', `Bearer ${ADMIN_TOKEN}`);

  it('starts at the configured offset on each side', () => {
    assert.equal(app.harness.idp.clock.now(), T0 + 120_000);
    assert.equal(app.harness.sp.clock.now(), T0 - 30_000);
  });

  it('is read and set as offsetMs by GET and PUT /idp/api/clock, which repeat it as skewMs', async () => {
    const before = await adminCall('get', '/idp/api/clock').expect(200);
    assert.deepEqual(before.body, { now: new Date(T0 + 120_000).toISOString(), offsetMs: 120_000, skewMs: 120_000 });
    const set = await adminCall('put', '/idp/api/clock').send({ offsetMs: -60_000 }).expect(200);
    assert.deepEqual(set.body, { now: new Date(T0 - 60_000).toISOString(), offsetMs: -60_000, skewMs: -60_000 });
    assert.equal(app.harness.sp.clock.now(), T0 - 30_000, 'the SP clock keeps its own offset');
  });

  it('takes skewMs, the older name, in PUT /idp/api/clock, and refuses both names at once', async () => {
    const set = await adminCall('put', '/idp/api/clock').send({ skewMs: 45_000 }).expect(200);
    assert.equal(set.body.offsetMs, 45_000);
    const both = await adminCall('put', '/idp/api/clock').send({ offsetMs: 1, skewMs: 2 }).expect(400);
    assert.equal(both.body.error, 'INPUT_INVALID');
    assert.ok(both.body.fields.offsetMs, JSON.stringify(both.body));
    assert.equal(app.harness.idp.clock.offsetMs, 45_000);
  });
});
