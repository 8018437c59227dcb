import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../src/index.js';
import { ensureKeyPair } from '../src/crypto/keys.js';
import { HarnessError } from '../src/errors.js';
import { fixturePem } from './support/keys.js';

describe('startHarness', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness({
      keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
      passwordHashCost: { N: 1024, r: 8, p: 1 },
      log: () => undefined,
    });
  });
  after(() => harness.close());
  afterEach(() => {
    harness.clock.unfreeze();
    harness.idp.clock.setOffset(0);
  });

  it('listens on 127.0.0.1 with the demo wired', () => {
    assert.match(harness.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('logs a demo user in headlessly and returns the SP session, the hops and the trace', async () => {
    const login = await harness.login('ann@acme.test');
    assert.equal(login.ok, true, JSON.stringify(login.error));
    assert.equal(login.session?.email, 'ann@acme.test');
    assert.equal(login.session?.nameId, 'ann@acme.test');
    assert.deepEqual(
      login.hops.map((h) => `${h.method} ${new URL(h.url).pathname} ${h.status}`),
      [
        // The demo's JumpCloud metadata lists only HTTP-POST: the SP's page posts the request on.
        'GET /sp/login 200',
        'POST /idp/apps/ringcentral/sso 303',
        'GET /idp/login 200',
        'POST /idp/login 200',
        'POST /sp/acs 303',
        'GET /sp/home 200',
      ],
    );
    assert.deepEqual(
      login.trace.map((t) => `${t.side} ${t.kind} ${t.verdict}`),
      ['sp AuthnRequest ok', 'idp AuthnRequest ok', 'idp Response ok', 'sp Response ok'],
    );
    const spChecks = login.trace[3]?.checks ?? [];
    assert.ok(spChecks.length >= 15 && spChecks.every((c) => c.verdict === 'pass'));
  });

  it('reports the IdP refusal for an unbound demo user', async () => {
    const login = await harness.login('carol@acme.test');
    assert.equal(login.ok, false);
    assert.equal(login.error?.status, 403);
    assert.equal(login.error?.code, 'IDP_NOT_AUTHORIZED');
  });

  it('lets a test set the IdP clock ahead so the SP refuses an assertion from the future', async () => {
    harness.idp.clock.setOffset(10 * 60_000);
    const login = await harness.login('bob@acme.test');
    assert.equal(login.ok, false);
    assert.equal(login.error?.code, 'SAML_NOT_YET_VALID');
  });

  it('accepts an IdP clock offset within the clock skew the account allows', async () => {
    harness.idp.clock.setOffset(2 * 60_000);
    const login = await harness.login('bob@acme.test');
    assert.equal(login.ok, true, JSON.stringify(login.error));
  });

  it('lets a test freeze time for both sides', async () => {
    harness.clock.freeze('2031-05-01T12:00:00Z');
    const login = await harness.login('bob@acme.test');
    assert.equal(login.ok, true, JSON.stringify(login.error));
    assert.equal(login.trace[0]?.at, '2031-05-01T12:00:00.000Z');
  });
});

describe('signing keys in the data directory', () => {
  it('are generated once and reused on restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sso-harness-keys-'));
    try {
      const first = await ensureKeyPair(dir, 'idp', 'test IdP');
      const second = await ensureKeyPair(dir, 'idp', 'test IdP');
      assert.equal(second.certificatePem, first.certificatePem);
      assert.equal(await readFile(join(dir, 'idp.key.pem'), 'utf8'), first.privateKeyPem);
      assert.equal((await stat(join(dir, 'idp.key.pem'))).mode & 0o077, 0, 'the private key is readable by its owner only');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('are one pair for instances that make them at the same moment in one directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sso-harness-keys-'));
    try {
      const pairs = await Promise.all([1, 2, 3, 4].map(() => ensureKeyPair(dir, 'idp', 'test IdP')));
      for (const pair of pairs) assert.equal(pair.privateKeyPem, pairs[0]?.privateKeyPem);
      assert.equal(await readFile(join(dir, 'idp.key.pem'), 'utf8'), pairs[0]?.privateKeyPem);
      assert.equal(await readFile(join(dir, 'idp.cert.pem'), 'utf8'), pairs[0]?.certificatePem);
      assert.deepEqual((await readdir(dir)).sort(), ['idp.cert.pem', 'idp.key.pem'], 'no temporary file is left');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replace a certificate left without its key, and refuse a certificate of another key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sso-harness-keys-'));
    try {
      const other = await ensureKeyPair(join(dir, 'other'), 'idp', 'other IdP');
      await writeFile(join(dir, 'idp.cert.pem'), other.certificatePem);
      const pair = await ensureKeyPair(dir, 'idp', 'test IdP', { waitMs: 100 });
      assert.notEqual(pair.certificatePem, other.certificatePem);
      assert.equal(await readFile(join(dir, 'idp.cert.pem'), 'utf8'), pair.certificatePem);
      await writeFile(join(dir, 'idp.cert.pem'), other.certificatePem);
      await assert.rejects(ensureKeyPair(dir, 'idp', 'test IdP', { waitMs: 100 }), (err: unknown) => err instanceof HarnessError && err.code === 'CONFIG_INVALID' && /is not the certificate of/.test(err.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
