import type { TopicMessages } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LingerProducer, type LingerProducerOptions } from '../src/linger-producer';

/** A sendBatch whose requests the test acknowledges or fails one by one. */
function fakeKafka() {
  const requests: { topicMessages: TopicMessages[]; ack: () => void; fail: (err: Error) => void }[] = [];
  const sendBatch = (topicMessages: TopicMessages[]) =>
    new Promise<void>((resolve, reject) => {
      requests.push({ topicMessages, ack: resolve, fail: reject });
    });
  return { requests, sendBatch };
}

const keysOf = (topicMessages: TopicMessages[]) =>
  topicMessages.map((t) => `${t.topic}:${t.messages.map((m) => String(m.key)).join(',')}`);

/** Tracks whether a promise settled, without awaiting it. */
function settledState(p: Promise<void>) {
  const state = { value: 'pending' as 'pending' | 'resolved' | 'rejected', error: undefined as unknown };
  p.then(
    () => {
      state.value = 'resolved';
    },
    (err: unknown) => {
      state.value = 'rejected';
      state.error = err;
    },
  );
  return state;
}

function producer(opts: Partial<LingerProducerOptions> = {}) {
  const kafka = fakeKafka();
  const flushes: { calls: number; records: number }[] = [];
  const p = new LingerProducer({
    sendBatch: kafka.sendBatch,
    prefix: 't.',
    onFlush: (f) => flushes.push({ calls: f.calls, records: f.records }),
    ...opts,
  });
  const send = (key: string, topic: 'readings' | 'gatewayEvents' = 'readings') =>
    settledState(p.sendEncoded(topic, [{ key, value: Buffer.from(`{"k":"${key}"}`) }]));
  return { p, kafka, flushes, send };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LingerProducer', () => {
  it('sends a lone record at the next turn of the event loop, without waiting for the linger', async () => {
    const { kafka, send } = producer({ lingerMs: 1_000 });
    const a = send('e1');
    expect(kafka.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(kafka.requests).toHaveLength(1);
    expect(keysOf(kafka.requests[0]!.topicMessages)).toEqual(['t.yj.readings.v1:e1']);
    expect(a.value).toBe('pending');
    kafka.requests[0]!.ack();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.value).toBe('resolved');
  });

  it('coalesces sends of the same turn into one request, grouped by topic in call order', async () => {
    const { kafka, send } = producer();
    send('e1');
    send('e2', 'gatewayEvents');
    send('e1');
    send('e3');
    await vi.advanceTimersByTimeAsync(0);
    expect(kafka.requests).toHaveLength(1);
    expect(keysOf(kafka.requests[0]!.topicMessages)).toEqual([
      't.yj.readings.v1:e1,e1,e3',
      't.yj.gateway-events.v1:e2',
    ]);
  });

  it('queues while a request is in flight and sends the queue as one request when it is acknowledged', async () => {
    const { kafka, flushes, send } = producer({ lingerMs: 5 });
    const first = send('e1');
    await vi.advanceTimersByTimeAsync(0);
    const later = ['e2', 'e3', 'e1'].map((k) => send(k));
    await vi.advanceTimersByTimeAsync(50); // far past the linger: one in flight is the limit
    expect(kafka.requests).toHaveLength(1);
    kafka.requests[0]!.ack();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.value).toBe('resolved');
    expect(later.map((s) => s.value)).toEqual(['pending', 'pending', 'pending']);
    expect(kafka.requests).toHaveLength(2);
    expect(keysOf(kafka.requests[1]!.topicMessages)).toEqual(['t.yj.readings.v1:e2,e3,e1']);
    kafka.requests[1]!.ack();
    await vi.advanceTimersByTimeAsync(0);
    expect(later.map((s) => s.value)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(flushes).toEqual([
      { calls: 1, records: 1 },
      { calls: 3, records: 3 },
    ]);
  });

  it("rejects every caller of a failed request with its error, and only that request's callers", async () => {
    const { kafka, send } = producer();
    const inFirst = [send('e1'), send('e2')];
    await vi.advanceTimersByTimeAsync(0);
    const inSecond = send('e3');
    const boom = new Error('NOT_ENOUGH_REPLICAS');
    kafka.requests[0]!.fail(boom);
    await vi.advanceTimersByTimeAsync(0);
    expect(inFirst.map((s) => [s.value, s.error])).toEqual([
      ['rejected', boom],
      ['rejected', boom],
    ]);
    expect(inSecond.value).toBe('pending');
    kafka.requests[1]!.ack();
    await vi.advanceTimersByTimeAsync(0);
    expect(inSecond.value).toBe('resolved');
  });

  it('rejects the callers when sendBatch throws instead of returning a promise', async () => {
    const boom = new Error('producer disconnected');
    const p = new LingerProducer({
      sendBatch: () => {
        throw boom;
      },
    });
    const s = settledState(p.sendEncoded('readings', [{ key: 'e1', value: null }]));
    await vi.advanceTimersByTimeAsync(0);
    expect([s.value, s.error]).toEqual(['rejected', boom]);
    expect(p.inFlight).toBe(0);
  });

  it.each([
    { cap: 'maxBatchRecords', opts: { maxBatchRecords: 3 } },
    { cap: 'maxBatchBytes', opts: { maxBatchBytes: 3 * 12 } }, // each record: key 2 + value 10 bytes
  ])(
    'sends at once when $cap is reached, and the next batch waits for the acknowledgement',
    async ({ opts }) => {
      const { kafka, send } = producer(opts);
      for (const k of ['e1', 'e2', 'e3', 'e4']) send(k);
      expect(kafka.requests).toHaveLength(1); // synchronously, on the third send
      expect(keysOf(kafka.requests[0]!.topicMessages)).toEqual(['t.yj.readings.v1:e1,e2,e3']);
      await vi.advanceTimersByTimeAsync(10);
      expect(kafka.requests).toHaveLength(1);
      kafka.requests[0]!.ack();
      await vi.advanceTimersByTimeAsync(0);
      expect(keysOf(kafka.requests[1]!.topicMessages)).toEqual(['t.yj.readings.v1:e4']);
    },
  );

  it('never splits one call, even one larger than maxBatchRecords', async () => {
    const { p, kafka } = producer({ maxBatchRecords: 2 });
    p.sendEncoded(
      'readings',
      ['a', 'b', 'c'].map((key) => ({ key, value: null })),
    );
    expect(keysOf(kafka.requests[0]!.topicMessages)).toEqual(['t.yj.readings.v1:a,b,c']);
  });

  it('with maxInFlight 2, sends a second request lingerMs after its first record', async () => {
    const { kafka, send } = producer({ maxInFlight: 2, lingerMs: 5 });
    send('e1');
    await vi.advanceTimersByTimeAsync(0);
    send('e2');
    await vi.advanceTimersByTimeAsync(1);
    send('e3');
    await vi.advanceTimersByTimeAsync(3);
    expect(kafka.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(kafka.requests).toHaveLength(2);
    expect(keysOf(kafka.requests[1]!.topicMessages)).toEqual(['t.yj.readings.v1:e2,e3']);
  });

  it('holds back a key that is in flight (and the later calls of that key) so no request overtakes another', async () => {
    const { kafka, send } = producer({ maxInFlight: 3, lingerMs: 5 });
    send('e1');
    await vi.advanceTimersByTimeAsync(0);
    const second = [send('e2'), send('e1'), send('e3'), send('e1')];
    await vi.advanceTimersByTimeAsync(5);
    expect(kafka.requests).toHaveLength(2);
    expect(keysOf(kafka.requests[1]!.topicMessages)).toEqual(['t.yj.readings.v1:e2,e3']);
    await vi.advanceTimersByTimeAsync(50);
    expect(kafka.requests).toHaveLength(2); // e1 waits for the first request, not for a timer
    kafka.requests[0]!.ack();
    await vi.advanceTimersByTimeAsync(5);
    expect(kafka.requests).toHaveLength(3);
    expect(keysOf(kafka.requests[2]!.topicMessages)).toEqual(['t.yj.readings.v1:e1,e1']);
    expect(second.map((s) => s.value)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('refuses a maxInFlight below 1', () => {
    expect(() => new LingerProducer({ sendBatch: async () => undefined, maxInFlight: 0 })).toThrow(
      RangeError,
    );
  });
});
