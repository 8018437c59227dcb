// The SP's per-login state is bounded, and the bound never costs replay protection: at most 10,000
// live sessions (the oldest signed out first), and every assertion ID kept until it expires.
import assert from 'node:assert/strict';
import { resolveConfig } from '../src/harness/config.js';
import { createHarnessContext, type HarnessContext } from '../src/harness/context.js';
import { SP_ASSERTIONS } from '../src/sp/login.js';
import { SP_SESSIONS } from '../src/sp/sessions.js';
import { fixturePem } from './support/keys.js';

const SESSION_LIMIT = 10_000;

describe('SP per-login state (memory store)', () => {
  let ctx: HarnessContext;

  before(async () => {
    ctx = await createHarnessContext(
      resolveConfig({
        keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
        passwordHashCost: { N: 16, r: 1, p: 1 },
        log: () => undefined,
      }),
    );
    await ctx.sp.accounts.create({ id: 'acme', name: 'Acme Corp' });
    await ctx.sp.directory.create('acme', { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Admin', password: 'ann-password-1' });
  });
  after(() => ctx.store.close());

  it('keeps the 10,000 newest SP sessions and signs the oldest out first', async function () {
    this.timeout(120_000);
    const ids: string[] = [];
    for (let i = 0; i < SESSION_LIMIT + 2; i++) ids.push((await ctx.sp.login.passwordLogin('ann@acme.test', 'ann-password-1')).id);
    assert.equal(await ctx.sp.login.session(ids[0]), undefined, 'the oldest session is signed out');
    assert.equal(await ctx.sp.login.session(ids[1]), undefined, 'and the next oldest');
    assert.equal((await ctx.sp.login.session(ids[2]))?.email, 'ann@acme.test', 'the oldest of the newest 10,000 is live');
    assert.equal((await ctx.sp.login.session(ids.at(-1)))?.email, 'ann@acme.test');
    assert.equal(await ctx.store.expiring(SP_SESSIONS).size(), SESSION_LIMIT);
  });

  it('refuses a live assertion ID again after 300,000 others (no live replay entry is evicted)', async function () {
    this.timeout(120_000);
    // The map the SP's replay check writes to (the store hands out one map per registry entry).
    const seen = ctx.store.expiring(SP_ASSERTIONS);
    const now = ctx.sp.clock.now();
    const until = now + 480_000;
    assert.equal(await seen.add('_first', true, until, now), true);
    for (let i = 0; i < 300_000; i++) await seen.add(`_${i.toString(16).padStart(40, '0')}`, true, until, now);
    assert.equal(await seen.add('_first', true, until, now), false, 'the first ID is still remembered');
    assert.equal(await seen.add('_first', true, until + 1, until), true, 'and forgotten once it expires');
  });
});
