import assert from 'node:assert/strict';
import { resolveConfig } from '../src/harness/config.js';
import { commandLineSafeToken, randomToken } from '../src/crypto/random-token.js';

describe('randomToken', () => {
  it('hands out fresh bytes of the asked length, across pool refills', () => {
    const seen = new Set<string>();
    // 1,000 tokens of 24 bytes: nearly six refills of the 4 KB pool.
    for (let i = 0; i < 1000; i++) {
      const token = randomToken(24, 'hex');
      assert.match(token, /^[0-9a-f]{48}$/);
      seen.add(token);
    }
    assert.equal(seen.size, 1000);
    assert.equal(Buffer.from(randomToken(16, 'base64'), 'base64').length, 16);
    assert.match(randomToken(18, 'base64url'), /^[A-Za-z0-9_-]{24}$/);
  });

  it('uses every byte once: consecutive tokens never overlap', () => {
    const a = randomToken(200, 'hex');
    const b = randomToken(200, 'hex');
    assert.equal(a.includes(b.slice(0, 32)), false);
    assert.notEqual(a, b);
  });

  it('refuses lengths it cannot serve', () => {
    assert.throws(() => randomToken(0, 'hex'), RangeError);
    assert.throws(() => randomToken(257, 'hex'), RangeError);
    assert.throws(() => randomToken(1.5, 'hex'), RangeError);
  });
});

describe('the generated admin token', () => {
  it('never begins with "-", so it can follow --token as its own argument', () => {
    // One base64url token in 64 would begin with "-": 3,000 of them all would with odds of 1 in 10^20.
    for (let i = 0; i < 3000; i++) {
      const { adminToken, adminTokenGenerated } = resolveConfig({}, {});
      assert.equal(adminTokenGenerated, true);
      assert.match(adminToken, /^[A-Za-z0-9_][A-Za-z0-9_-]{31}$/);
    }
  });

  it('is drawn from every base64url character after the first', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of commandLineSafeToken(24).slice(1)) seen.add(c);
    assert.equal(seen.size, 64);
  });
});
