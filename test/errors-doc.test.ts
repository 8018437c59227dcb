import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../src/errors.js';

const doc = readFileSync(fileURLToPath(new URL('../docs/errors.md', import.meta.url)), 'utf8');
const documented = new Set([...doc.matchAll(/^### `([A-Z0-9_]+)`/gm)].map((m) => m[1]));

describe('docs/errors.md', () => {
  for (const code of Object.keys(ERROR_CODES)) {
    it(`documents ${code}`, () => {
      assert.ok(documented.has(code), `add a "### \`${code}\`" section to docs/errors.md`);
    });
  }

  it('documents no code that does not exist', () => {
    const unknown = [...documented].filter((c) => !(c! in ERROR_CODES));
    assert.deepEqual(unknown, []);
  });
});
