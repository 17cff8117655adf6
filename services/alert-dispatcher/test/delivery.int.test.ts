import { topicName } from '@yujing/kafka';
import type { DeadLetterRecord, DeliveryRecord } from '@yujing/schemas';
import { serviceEnv, uniqueId, waitFor } from '@yujing/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberRateLimit } from '../src/subscriber-rate-limit';
import { E1, E2, E3, raiseEvent } from './dispatch-fixtures';
import { ATTEMPTS, expectSigned, type Harness, payload, startHarness } from './dispatcher-harness';
import type { Received } from './webhook-receiver';

/** Webhook delivery against the real Kafka, Redis and a local receiver: retries, dead letters, guards, dedupe. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness('dispatch-dlv');
});
afterAll(async () => {
  await h?.stop();
});

describe('delivery: retries, dead letters, SSRF guard, duplicates', () => {
  it('a receiver failing 3 times gets the 4th attempt with the same delivery id; a dead one ends dead-lettered', async () => {
    h.receiver.behave('flaky-e2', (attempt) => (attempt <= 3 ? 500 : 200));
    const raise = raiseEvent(E2, 2);
    await h.send(raise);
    const flaky = await waitFor(
      () => {
        const r = h.receiver.for('flaky-e2', raise.alarmId);
        return r.length === 4 && r;
      },
      { message: 'four attempts at the flaky receiver' },
    );
    expect(flaky.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(flaky.map((r) => r.headers['x-yujing-delivery'])).size).toBe(1);
    expectSigned(flaky[3] as Received);

    const records = await waitFor(
      () => {
        const recs = h.delivered(raise.alarmId);
        const dead = recs.filter((d) => d.subscriptionId === 'down-e2');
        return (
          recs.filter((d) => d.subscriptionId === 'flaky-e2').length === 4 && dead.length === ATTEMPTS && recs
        );
      },
      { message: 'every attempt recorded on yj.deliveries.v1' },
    );
    const flakyRecs = records
      .filter((d) => d.subscriptionId === 'flaky-e2')
      .sort((a, b) => a.attempt - b.attempt);
    expect(flakyRecs.map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 500],
      [4, 'delivered', 200],
    ]);
    const deadRecs = records
      .filter((d) => d.subscriptionId === 'down-e2')
      .sort((a, b) => a.attempt - b.attempt);
    expect(deadRecs.map((d) => d.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'dead-lettered']);
    expect(new Set(deadRecs.map((d) => d.deliveryId)).size).toBe(1);
    expect(deadRecs[0]?.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Dead-lettered = kept in the deliveries queue's failed set, replayable by the operator API.
    const deadJob = await h.dispatcher.queues.deliveries.getJob(deadRecs[0]?.deliveryId ?? '');
    expect(await deadJob?.getState()).toBe('failed');
    expect(deadJob?.attemptsMade).toBe(ATTEMPTS);
    const failedIds = (await h.dispatcher.queues.deliveries.getFailed()).map((j) => j.id);
    expect(failedIds).toContain(deadRecs[0]?.deliveryId);
  });

  it('refuses a private-address subscriber (SSRF guard) without sending, and the same event consumed twice notifies once', async () => {
    const raise = raiseEvent(E3, 3);
    await h.send(raise);
    await h.send(raise);
    await waitFor(() => h.receiver.for('ent-e3', raise.alarmId).length > 0);
    const rejected = await waitFor(() =>
      h.delivered(raise.alarmId).find((d) => d.subscriptionId === 'private-e3'),
    );
    expect(rejected).toMatchObject({ status: 'rejected', attempt: 1, httpStatus: null });
    expect(rejected.error).toContain('YJ_ERR_DISPATCH_TARGET_FORBIDDEN');

    await h.waitIdle();
    expect(h.receiver.for('ent-e3', raise.alarmId)).toHaveLength(1);
    expect((await h.dispatcher.state.get(raise.alarmId))?.lastSeq).toBe(raise.seq);
  });

  it('records but does not escalate an alarm replayed from long ago (new consumer group at the topic start)', async () => {
    const old = raiseEvent(E3, 3, { emittedAt: Date.now() - 2 * 86_400_000 });
    await h.send(old);
    await waitFor(async () => (await h.dispatcher.state.get(old.alarmId))?.lastSeq === old.seq, {
      message: 'old raise handled',
    });
    await h.waitIdle();
    expect(h.receiver.for('ent-e3', old.alarmId)).toEqual([]);
  });

  it('dead-letters a record that is not an alarm transition, with the reason, and keeps going', async () => {
    await h.producer.raw.send({
      topic: topicName('alarms', h.topics.prefix),
      messages: [{ key: E1, value: '{"alarmId": 42' }],
    });
    const dl = await waitFor(() =>
      h.deadLetters.json<DeadLetterRecord>().find((d) => d.source === 'alert-dispatcher'),
    );
    expect(dl.reason).toBe('invalid-json');
    expect(Buffer.from(dl.raw, 'base64').toString()).toBe('{"alarmId": 42');
    const after = raiseEvent(E3, 3);
    await h.send(after);
    await waitFor(() => h.receiver.for('ent-e3', after.alarmId).length > 0, {
      message: 'still dispatching after a bad record',
    });
  });
});

describe('subscriber rate limit', () => {
  it('spaces deliveries to a slow subscriber without spending attempts', async () => {
    const raises = [raiseEvent(E3, 3), raiseEvent(E3, 3), raiseEvent(E3, 3)];
    await h.producer.send(
      'alarms',
      raises.map((r) => ({ key: E3, value: r })),
    );
    const ids = new Set(raises.map((r) => r.alarmId));
    const got = await waitFor(
      () => {
        const r = h.receiver.for('slow-e3').filter((x) => ids.has(payload(x).alarm.alarmId));
        return r.length === 3 && r;
      },
      { timeoutMs: 20_000, message: 'three deliveries to the rate-limited subscriber' },
    );
    const times = got.map((r) => r.receivedAt).sort((a, b) => a - b);
    // 1 token per second, burst 1: the third request cannot come before two refills.
    expect((times[2] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1900);
    const recs = await waitFor(() => {
      const d = h.deliveries
        .json<DeliveryRecord>()
        .filter((x) => x.subscriptionId === 'slow-e3' && ids.has(x.alarmId));
      return d.length === 3 && d;
    });
    expect(recs.map((d) => [d.status, d.attempt])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
  });

  it('hands out burst tokens, then says how long to wait', async () => {
    const redis = new Redis(serviceEnv().redisUrl);
    try {
      const limit = new SubscriberRateLimit(redis, `yj-dispatch:${h.queuePrefix}`);
      const sub = uniqueId('rl');
      expect(await limit.take(sub, 2)).toBe(0);
      expect(await limit.take(sub, 2)).toBe(0);
      const wait = await limit.take(sub, 2);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(500);
      await waitFor(async () => (await limit.take(sub, 2)) === 0, {
        timeoutMs: 3000,
        message: 'bucket refilled',
      });
    } finally {
      redis.disconnect();
    }
  });
});
