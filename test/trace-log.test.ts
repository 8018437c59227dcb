// The trace's memory bound: entries and bytes, with each message cut at its cap and marked, and
// what fell off the end counted.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readTraceExport, traceExport, traceHar } from '../src/trace/export.js';
import { TraceLog, type TraceEntry } from '../src/trace/trace-log.js';

const MiB = 1024 * 1024;
const clock = () => Date.parse('2026-11-24T10:00:00Z');

function refused(xml: string, extra: Partial<TraceEntry> = {}) {
  return { side: 'idp' as const, kind: 'AuthnRequest' as const, direction: 'received' as const, xml, verdict: 'rejected' as const, summary: 'refused', ...extra };
}

const storedBytes = (entries: TraceEntry[]): number => entries.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0);

describe('TraceLog', () => {
  it('stays under 16 MiB by default when strangers send 1 MiB messages', () => {
    const trace = new TraceLog(500, clock);
    for (let i = 0; i < 60; i += 1) trace.record(refused(`<m${i}>${'x'.repeat(MiB)}</m${i}>`));
    const entries = trace.list();
    assert.ok(storedBytes(entries) <= 16 * MiB, `${storedBytes(entries)} bytes in ${entries.length} entries`);
    assert.equal(entries.at(-1)?.xml?.startsWith('<m59>'), true, 'the newest entry is kept');
  });

  it('keeps its own copy of each text, not the large string a text was cut from', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const trace = new TraceLog(500, clock);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i += 1) {
      // A fresh 2 MiB message each time, of which the trace is given a 2 KiB slice (whole and cut).
      const message = `<m${i}>${String(i).repeat(2 * MiB)}</m${i}>`;
      trace.record(refused(message.slice(0, 2048), { summary: message.slice(10, 3000) }));
      trace.record(refused(message.slice(0, 200 * 1024)));
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 40 messages of 2 MiB kept alive would be 80 MiB; the copies are under 10 MiB.
    assert.ok(grown < 20 * MiB, `the heap grew ${Math.round(grown / MiB)} MiB`);
    assert.equal(trace.list().length, 80);
  });

  it('cuts a message at its cap, at a character boundary, and says how large it was', () => {
    const trace = new TraceLog({ maxMessageBytes: 1024 }, clock);
    const xml = `<m>${'é'.repeat(2000)}</m>`;
    const entry = trace.record(refused(xml));
    assert.ok(Buffer.byteLength(entry.xml ?? '') <= 1024);
    assert.ok(Buffer.byteLength(entry.xml ?? '') >= 1022);
    assert.ok(xml.startsWith(entry.xml ?? '-'), 'a prefix of the message, no broken character');
    assert.equal(entry.xmlTruncatedFrom, Buffer.byteLength(xml));
    assert.equal(trace.record(refused('<small/>')).xmlTruncatedFrom, undefined);
  });

  it('cuts every other text at a smaller cap, marked', () => {
    const trace = new TraceLog(10, clock);
    const long = 'i'.repeat(100_000);
    const entry = trace.record(refused('<a/>', { summary: `from ${long}`, relayState: long, error: { code: 'X', message: long, received: long } }));
    for (const text of [entry.summary, entry.relayState, entry.error?.message, entry.error?.received]) {
      assert.ok((text ?? '').length < 5_000);
      assert.match(text ?? '', /\[truncated\]$/);
    }
  });

  it('drops the oldest entries to stay within the byte cap, and counts them', () => {
    const trace = new TraceLog({ entries: 500, maxMessageBytes: 64 * 1024, maxBytes: 256 * 1024 }, clock);
    for (let i = 0; i < 20; i += 1) trace.record(refused(`<m${i}>${'x'.repeat(64 * 1024)}</m${i}>`));
    const usage = trace.usage();
    assert.ok(usage.bytes <= 256 * 1024);
    assert.equal(usage.entries + usage.dropped.entries, 20);
    assert.ok(usage.dropped.entries > 0 && usage.dropped.bytes > 0);
    assert.equal(trace.list()[0]?.xml?.startsWith(`<m${usage.dropped.entries}>`), true, 'the oldest went first');
    trace.clear();
    assert.deepEqual(trace.usage().dropped, { entries: 0, bytes: 0 });
  });

  it('counts entries dropped for the entry limit too', () => {
    const trace = new TraceLog(3, clock);
    for (let i = 0; i < 5; i += 1) trace.record(refused('<a/>'));
    assert.equal(trace.list().length, 3);
    assert.equal(trace.usage().dropped.entries, 2);
  });
});

describe('trace export of truncated messages', () => {
  const trace = new TraceLog({ maxMessageBytes: 1024 }, clock);
  const whole = trace.record(refused('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a"/>', { flow: '_a', endpoint: 'https://idp.example/sso', binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' }));
  const cut = trace.record({ ...refused(`<samlp:Response>${'x'.repeat(5000)}</samlp:Response>`), kind: 'Response', flow: '_a', endpoint: 'https://sp.example/acs' });

  it('leaves a truncated message out of the HAR file and says so', () => {
    const har = traceHar([whole, cut]);
    assert.equal(har.log.entries.length, 1);
    assert.match(har.log.comment ?? '', /1 message\(s\) left out: the trace kept them truncated/);
  });

  it('keeps the truncation mark through a JSON export and import', () => {
    const back = readTraceExport(JSON.stringify(traceExport('_a', [whole, cut], clock())));
    assert.equal(back.entries[1]?.xmlTruncatedFrom, cut.xmlTruncatedFrom);
    assert.ok((cut.xmlTruncatedFrom ?? 0) > 5000);
    assert.equal(back.entries[0]?.xmlTruncatedFrom, undefined);
  });
});
