// The harness of test/fuzz/hostile-xml.test.ts, in a process of its own as it runs in real life:
// its event loop and its memory are then the harness's alone. It starts the demo on 127.0.0.1,
// tells the parent its URL, and answers the parent's questions over the IPC channel: watch the
// event loop from now, what the loop did since and how long each request took the harness, and
// the process's memory (as it is, at its peak, and after a full GC).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seedDemo } from '../../src/harness/demo.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';

export type HostileServerQuestion = { ask: 'watch-loop' } | { ask: 'loop' } | { ask: 'memory'; resetPeak: boolean } | { ask: 'close' };
export type HostileServerAnswer =
  | { ready: string }
  | { watching: true }
  | { loopP99Ms: number; loopMaxMs: number; handlingMs: number[] }
  | { rssBeforeGcMb: number; rssMb: number; rssPeakMb: number; heapMb: number; heapTotalMb: number };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const send = (answer: HostileServerAnswer): void => {
  process.send?.(answer);
};
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

const server = await startTestServer();
await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });

let loop: IntervalHistogram | undefined;
// How long the harness took over each request since the loop was last watched: from the arrival
// of the request's last byte (its headers, for a request without a body) to the last byte of the
// answer written. The time a client takes to send its body is the client's, not the harness's:
// the harness's own work while it reads (and anything else that holds its event loop then) shows
// in the loop's figures, and the parent's round trip holds it all.
let handlingMs: number[] = [];
server.server.on('request', (req, res) => {
  if (req.url === '/healthz') return;
  let arrived = performance.now();
  req.once('end', () => {
    if (!res.writableFinished) arrived = performance.now();
  });
  res.once('finish', () => handlingMs.push(Math.round((performance.now() - arrived) * 100) / 100));
});
let rssPeak = 0;
setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 20).unref();

process.on('message', (question: HostileServerQuestion) => {
  void (async () => {
    switch (question.ask) {
      case 'watch-loop':
        loop?.disable();
        loop = monitorEventLoopDelay({ resolution: 1 });
        loop.enable();
        handlingMs = [];
        send({ watching: true });
        return;
      case 'loop':
        loop?.disable();
        send({ loopP99Ms: ms(loop?.percentile(99) ?? 0), loopMaxMs: ms(loop?.max ?? 0), handlingMs });
        return;
      case 'memory': {
        const rssBeforeGc = process.memoryUsage.rss();
        gc();
        await new Promise((resolve) => setTimeout(resolve, 500));
        gc();
        const { rss, heapUsed, heapTotal } = process.memoryUsage();
        rssPeak = Math.max(rssPeak, rss);
        send({ rssBeforeGcMb: mb(rssBeforeGc), rssMb: mb(rss), rssPeakMb: mb(rssPeak), heapMb: mb(heapUsed), heapTotalMb: mb(heapTotal) });
        if (question.resetPeak) rssPeak = rss;
        return;
      }
      case 'close':
        await server.close();
        process.exit(0);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
send({ ready: server.url });
