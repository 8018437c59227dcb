import assert from 'node:assert/strict';
import { JOB_LOG_LIMITS, JobLog } from '../../src/provisioning/job-log.js';
import { SerialQueues } from '../../src/provisioning/queue.js';
import { MemoryStore } from '../../src/store/memory.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SerialQueues', () => {
  it('runs one key\'s tasks in the order they were added, even when an earlier one is slower', async () => {
    const q = new SerialQueues(() => undefined);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    q.enqueue('app', async () => {
      await gate;
      order.push('first');
    });
    q.enqueue('app', async () => {
      order.push('second');
    });
    q.enqueue('other', async () => {
      order.push('other key');
    });
    await tick();
    assert.deepEqual(order, ['other key']);
    assert.equal(q.size('app'), 2);
    release();
    await q.idle();
    assert.deepEqual(order, ['other key', 'first', 'second']);
    assert.equal(q.size('app'), 0);
  });

  it('reports a failing task and goes on with the next', async () => {
    const errors: string[] = [];
    const q = new SerialQueues((err, key) => errors.push(`${key}: ${(err as Error).message}`));
    const done: number[] = [];
    q.enqueue('app', async () => {
      throw new Error('boom');
    });
    q.enqueue('app', async () => {
      done.push(2);
    });
    await q.idle();
    assert.deepEqual(errors, ['app: boom']);
    assert.deepEqual(done, [2]);
  });

  it('stays busy until tasks added by tasks are done', async () => {
    const q = new SerialQueues(() => undefined);
    const done: string[] = [];
    q.enqueue('events', async () => {
      q.enqueue('app', async () => {
        await tick();
        done.push('nested');
      });
    });
    await q.idle();
    assert.deepEqual(done, ['nested']);
  });
});

describe('JobLog bounds', () => {
  it(`keeps at most ${JOB_LOG_LIMITS.exchangesPerJob} exchanges per job and counts the rest`, async () => {
    const log = new JobLog(new MemoryStore(), () => 0);
    const rec = await log.start({ appId: 'a', userId: 'u', userEmail: 'u@x.test', flavor: 'jumpcloud', action: 'update' });
    for (let i = 0; i < 25; i++) rec.record({ at: '', request: { method: 'GET', url: `/x/${i}`, headers: {} } });
    const job = await log.finish(rec, { status: 'failed' });
    assert.equal(job.exchanges.length, 20);
    assert.equal(job.exchangesDropped, 5);
    assert.equal(job.attempts, 25);
    assert.equal((await log.list('a', 'u'))[0]?.exchanges.length, 20);
  });

  it(`keeps the newest ${JOB_LOG_LIMITS.jobsPerUser} jobs of a user`, async () => {
    const log = new JobLog(new MemoryStore(), () => 0);
    for (let i = 0; i < 30; i++) {
      const rec = await log.start({ appId: 'a', userId: 'u', userEmail: `${i}`, flavor: 'okta', action: 'update' });
      await log.finish(rec, { status: 'succeeded' });
    }
    const jobs = await log.list('a', 'u');
    assert.equal(jobs.length, 25);
    assert.deepEqual([jobs[0]?.userEmail, jobs.at(-1)?.userEmail], ['5', '29']);
  });

  it(`keeps the newest ${JOB_LOG_LIMITS.jobsPerApp} jobs of an application, also across a new JobLog over the same store`, async () => {
    const store = new MemoryStore();
    const run = async (log: JobLog, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const rec = await log.start({ appId: 'a', userId: `u${i}`, userEmail: `${i}`, flavor: 'okta', action: 'create' });
        await log.finish(rec, { status: 'succeeded' });
      }
    };
    await run(new JobLog(store, () => 0), 0, 600);
    const restarted = new JobLog(store, () => 0);
    await run(restarted, 600, 1010);
    await run(new JobLog(store, () => 0), 0, 0);
    const jobs = await restarted.list('a');
    assert.equal(jobs.length, JOB_LOG_LIMITS.jobsPerApp);
    assert.deepEqual([jobs[0]?.userEmail, jobs.at(-1)?.userEmail], ['10', '1009']);
    assert.equal((await new JobLog(store, () => 0).list('other')).length, 0);
  });
});
