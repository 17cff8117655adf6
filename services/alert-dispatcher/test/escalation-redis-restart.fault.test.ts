import { PrivateRedis, waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationJobId } from '../src/escalation-plan';
import { E1, raiseEvent } from './dispatch-fixtures';
import { type Harness, payload, startHarness } from './dispatcher-harness';

/**
 * Issue #14 hole 7: delayed escalation jobs survive a Redis crash. The dispatcher (real code, real
 * Kafka) runs on a redis-server of this test's own with AOF on, as the stack runs it; the city and
 * province steps are scheduled as BullMQ delayed jobs, Redis is killed with SIGKILL and restarted on
 * the same data directory, and both steps must still be delivered. Without AOF (`appendonly no`)
 * the same crash loses them, which the second case shows, so the first one can fail.
 */
const DELAYS = { cityMs: 15_000, provinceMs: 17_000 };

async function scheduleThenCrash(h: Harness, redis: PrivateRedis, opts: { aof: boolean }) {
  const raise = raiseEvent(E1, 1);
  await h.send(raise);
  const steps = [2, 3].map((stepIndex) =>
    escalationJobId({ alarmId: raise.alarmId, planVersion: raise.seq, kind: 'step', stepIndex }),
  );
  await waitFor(
    async () => {
      const states = await Promise.all(
        steps.map(async (id) => (await h.dispatcher.queues.escalation.getJob(id))?.getState()),
      );
      return states.every((s) => s === 'delayed');
    },
    { timeoutMs: 10_000, message: 'city and province steps scheduled as delayed jobs' },
  );
  // Still due in the future at the moment of the crash: otherwise this would prove nothing.
  expect(Date.now()).toBeLessThan(raise.emittedAt + DELAYS.cityMs);
  // With AOF, crash only once both jobs are in the file (what a kill -9 keeps), not mid-flush.
  if (opts.aof) for (const id of steps) await redis.waitForAof(id);
  expect(Date.now()).toBeLessThan(raise.emittedAt + DELAYS.cityMs);
  await redis.restart();
  return { raise, steps };
}

describe('delayed escalation jobs across a Redis kill -9', () => {
  let redis: PrivateRedis;
  let h: Harness;
  beforeAll(async () => {
    redis = await PrivateRedis.start({ appendonly: true });
    h = await startHarness('esc-redis-aof', { redisUrl: redis.url, delays: DELAYS });
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
  });

  it('with AOF, the city and province steps still fire after Redis restarts', async () => {
    const { raise } = await scheduleThenCrash(h, redis, { aof: true });
    const got = await waitFor(
      () => {
        const city = h.receiver.for('city-140100', raise.alarmId);
        const province = h.receiver.for('province-140000', raise.alarmId);
        return city.length > 0 && province.length > 0 && { city, province };
      },
      {
        timeoutMs: DELAYS.provinceMs + 30_000,
        message: 'city and province escalations delivered after the restart',
      },
    );
    expect(payload(got.city[0] as never).step).toEqual({ index: 2, target: 'city' });
    expect(payload(got.province[0] as never).event).toBe('alarm.escalated');
  });
});

describe('the same crash without AOF (the failure the stack no longer has)', () => {
  let redis: PrivateRedis;
  let h: Harness;
  beforeAll(async () => {
    redis = await PrivateRedis.start({ appendonly: false });
    h = await startHarness('esc-redis-noaof', { redisUrl: redis.url, delays: DELAYS });
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
  });

  it('loses the delayed steps', async () => {
    const { steps } = await scheduleThenCrash(h, redis, { aof: false });
    const after = await waitFor(
      async () => {
        try {
          return { jobs: await Promise.all(steps.map((id) => h.dispatcher.queues.escalation.getJob(id))) };
        } catch {
          return undefined; // still reconnecting
        }
      },
      { timeoutMs: 15_000, message: 'queue readable after the restart' },
    );
    expect(after.jobs).toEqual([undefined, undefined]);
  });
});
