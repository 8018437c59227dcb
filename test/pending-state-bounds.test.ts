// State that anyone can create without signing in (an SP login start, an AuthnRequest parked at the
// IdP sign-in page, an OAuth authorization request) is bounded, and a flood of it never makes a
// side forget the live state of someone else: full, the store refuses the new entry instead.
// The stores are given small bounds (a wrapper over the memory store) so a test fills them fast.
import assert from 'node:assert/strict';
import { resolveConfig } from '../src/harness/config.js';
import { newLoginNonce } from '../src/crypto/login-binding.js';
import { HarnessError } from '../src/errors.js';
import { createHarnessContext, type HarnessContext } from '../src/harness/context.js';
import { IDP_PENDING } from '../src/idp/sso.js';
import type { PendingLogin } from '../src/idp/sso-types.js';
import { SP_OAUTH_REQUESTS } from '../src/sp/oauth/authorize.js';
import { MemoryStore } from '../src/store/memory.js';
import { mapRef, type MapRef, type Store } from '../src/store/types.js';
import { fixturePem } from './support/keys.js';

const CAP = 3;

/** The memory store, with every expiring map named in `caps` bounded to that many entries. */
function cappedStore(caps: Record<string, number>): Store {
  const store = new MemoryStore();
  const expiring = store.expiring.bind(store);
  store.expiring = <V>(ref: MapRef<V>) => {
    const cap = caps[ref.name];
    return expiring<V>(cap === undefined ? ref : mapRef<V>(ref.name, { ...ref.options, maxEntries: cap }));
  };
  return store;
}

const isCode = (code: string) => (err: unknown) => err instanceof HarnessError && err.code === code;

describe('state created without signing in, under a flood', () => {
  let ctx: HarnessContext;

  before(async () => {
    const config = resolveConfig({
      keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
      passwordHashCost: { N: 16, r: 1, p: 1 },
      log: () => undefined,
    });
    ctx = await createHarnessContext(config, cappedStore({ [IDP_PENDING.name]: CAP, [SP_OAUTH_REQUESTS.name]: CAP }));
  });
  after(() => ctx.store.close());

  it('keeps a login parked at the IdP sign-in page when a flood of AuthnRequests fills the store', async () => {
    const parked = (key: string): PendingLogin => ({
      key,
      appId: 'ringcentral',
      requestId: `_${key}`,
      spEntityId: 'https://sp.example.test',
      acsUrl: 'https://sp.example.test/acs',
      binding: 'redirect',
      forceAuthn: false,
    });
    await ctx.idp.sso.park(parked('genuine'), 'browser-genuine');
    for (let i = 1; i < CAP; i++) await ctx.idp.sso.park(parked(`flood-${i}`), `browser-${i}`);
    await assert.rejects(ctx.idp.sso.park(parked('flood-more'), 'browser-more'), (err: unknown) => isCode('STORE_FULL')(err) && (err as HarnessError).details.retryAfterSec === 30);
    assert.equal((await ctx.idp.sso.getPending('genuine', 'browser-genuine')).requestId, '_genuine');
  });

  it('keeps an OAuth authorization a user is signing in to when a flood of /authorize requests fills the store', async () => {
    const client = ctx.config.sp.oauthClients[0];
    assert.ok(client);
    const params = { client_id: client.clientId, redirect_uri: client.redirectUris[0]?.replace('<*>', 'app').replace('*', 'app'), response_type: 'code', state: 's' };
    const browserKey = newLoginNonce();
    const genuine = await ctx.sp.oauth.authorization.begin(params, browserKey);
    assert.equal(genuine.kind, 'identify', JSON.stringify(genuine));
    if (genuine.kind !== 'identify') return;
    for (let i = 1; i < CAP; i++) await ctx.sp.oauth.authorization.begin(params, newLoginNonce());
    await assert.rejects(ctx.sp.oauth.authorization.begin(params, newLoginNonce()), isCode('STORE_FULL'));
    const next = await ctx.sp.oauth.authorization.signIn({ requestId: genuine.requestId, csrfToken: genuine.csrfToken, browserKey }, { login: 'nobody@example.test' });
    assert.notEqual(next.kind, 'redirect', 'the genuine request is still live');
    assert.notEqual((next as { error?: HarnessError }).error?.code, 'OAUTH_REQUEST_EXPIRED');
  });
});

describe('SP login starts under a flood (sp.maxOutstandingRequests)', () => {
  let ctx: HarnessContext;

  before(async () => {
    const config = resolveConfig({
      keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
      passwordHashCost: { N: 16, r: 1, p: 1 },
      log: () => undefined,
      sp: { maxOutstandingRequests: CAP, requestLifetimeSec: 60 },
    });
    ctx = await createHarnessContext(config);
    await ctx.sp.accounts.create({ id: 'acme', name: 'Acme Corp' });
  });
  after(() => ctx.store.close());

  it('refuses starts with SP_LOGIN_BUSY while full of live requests, and starts again once one expires', async () => {
    // The account needs an IdP with a Redirect SSO service: this harness's own IdP application.
    const app = await ctx.idp.apps.create({ template: 'ringcentral', displayLabel: 'RingCentral', mydomain: 'sp.example.test' });
    await ctx.sp.accounts.importIdpMetadata('acme', { xml: await ctx.idp.apps.publishedMetadata(app) });
    await ctx.sp.accounts.updateSso('acme', { emailMapping: { kind: 'custom', name: 'email' }, enabled: true });
    for (let i = 0; i < CAP; i++) await ctx.sp.login.start('acme', newLoginNonce());
    const busy = await ctx.sp.login.start('acme', newLoginNonce()).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(busy instanceof HarnessError && busy.code === 'SP_LOGIN_BUSY', String(busy));
    assert.equal(busy.status, 503);
    assert.equal(busy.details.retryAfterSec, 30);
    ctx.config.clock.advance(60_000);
    await ctx.sp.login.start('acme', newLoginNonce());
  });
});
