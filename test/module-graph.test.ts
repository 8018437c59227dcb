// The tests run the module graph the product runs: one copy of each module, whether a file imports
// it statically or loads it on first use (the route and store modules, src/http/app.ts and
// src/store/open.ts). Compiled to CommonJS instead (mocha require()-ing the test files through
// tsx), a module loaded on first use would be a second copy, with its own HarnessError class.
import assert from 'node:assert/strict';
import { HarnessError } from '../src/errors.js';
import { openStore } from '../src/store/open.js';
import { MemoryStore } from '../src/store/memory.js';

const HOW = 'the test files must run as ES modules: run mocha with Node --no-experimental-require-module (see .mocharc.json)';

describe('the module graph under test', () => {
  it('holds one copy of a module imported statically and on first use', async () => {
    const loaded = await import('../src/errors.js');
    assert.ok(loaded.HarnessError === HarnessError, HOW);
    const store = await openStore({ kind: 'memory' });
    try {
      assert.ok(store instanceof MemoryStore, HOW);
    } finally {
      await store.close();
    }
  });
});
