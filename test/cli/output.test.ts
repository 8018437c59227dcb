import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProgress } from '../../src/cli/output.js';

describe('CLI progress line', () => {
  it('draws on a terminal once the delay has passed, and clears the line when stopped', async () => {
    let written = '';
    const progress = startProgress({ stderr: { write: (t: string) => (written += t), isTTY: true }, progressDelayMs: 0 }, 'fetching');
    progress.update('checking message 3 of 9');
    await sleep(20);
    progress.stop();
    assert.match(written, /\r\x1b\[K. checking message 3 of 9/);
    assert.ok(written.endsWith('\r\x1b[K'));
  });

  it('writes nothing when stderr is not a terminal', async () => {
    let written = '';
    const progress = startProgress({ stderr: { write: (t: string) => (written += t) }, progressDelayMs: 0 }, 'fetching');
    await sleep(20);
    progress.stop();
    assert.equal(written, '');
  });
});
