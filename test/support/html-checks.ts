// Checks on server-rendered HTML without a browser: one h1 per page, a label for every visible
// form field (the accessibility smoke check the real-browser tests also run).
import assert from 'node:assert/strict';

export function assertAccessible(htmlText: string, where: string): void {
  assert.equal(htmlText.match(/<h1[\s>]/g)?.length, 1, `${where}: one h1`);
  const ids = new Set([...htmlText.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
  for (const m of htmlText.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attrs = m[2] ?? '';
    if (/type="(hidden|submit|button)"/.test(attrs)) continue;
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    assert.ok(id && ids.has(id), `${where}: <${m[1]}${attrs}> has no label`);
  }
}
