import { GatewayEvent } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { SequenceTracker } from '../src/index';

const E = '140105001';
const G = 'gw-01';
const T0 = 1_000_000;

/** Feeds seqs through check+commit; returns the verdicts. */
function feed(t: SequenceTracker, seqs: number[], now = T0, sentAt = (s: number) => 5_000 + s) {
  return seqs.map((s) => {
    const v = t.check(E, G, s, sentAt(s), now);
    if (!v.duplicate) t.commit(E, G, s, sentAt(s), now);
    return v;
  });
}

describe('SequenceTracker', () => {
  it('first message of a gateway yields an online/first-message event', () => {
    const [v] = feed(new SequenceTracker(), [10]);
    expect(v).toEqual({
      duplicate: false,
      events: [{ enterpriseId: E, gatewayId: G, type: 'online', reason: 'first-message', at: T0 }],
    });
  });

  const cases: { name: string; seqs: number[]; duplicates: number[] }[] = [
    { name: 'in order', seqs: [1, 2, 3, 4], duplicates: [] },
    { name: 'exact replay', seqs: [1, 2, 2, 3], duplicates: [2] },
    { name: 'replay of an older one', seqs: [1, 2, 3, 1], duplicates: [3] },
    { name: 'late arrival fills a hole', seqs: [1, 3, 2], duplicates: [] },
  ];
  it.each(cases)('$name: duplicates at $duplicates', ({ seqs, duplicates }) => {
    const verdicts = feed(new SequenceTracker(), seqs);
    expect(verdicts.flatMap((v, i) => (v.duplicate ? [i] : []))).toEqual(duplicates);
  });

  it('a pending message makes a concurrent copy a duplicate; release lets the redelivery through', () => {
    const t = new SequenceTracker();
    expect(t.check(E, G, 5, 1, T0).duplicate).toBe(false);
    expect(t.check(E, G, 5, 1, T0).duplicate).toBe(true);
    t.release(E, G, 5, 1);
    expect(t.check(E, G, 5, 1, T0).duplicate).toBe(false);
  });

  it('same seq with a different sentAt is a restart of the numbering, not a replay', () => {
    const t = new SequenceTracker();
    feed(t, [1, 2, 3]);
    const v = t.check(E, G, 2, 999_999, T0);
    expect(v.duplicate).toBe(false);
    expect(!v.duplicate && v.events.map((e) => [e.type, e.detail])).toEqual([
      ['seq-reset', { expectedSeq: 4, gotSeq: 2 }],
    ]);
  });

  it('a reset after the largest seq (2^53-1) is still a valid GatewayEvent (found by the bad-input fuzzer)', () => {
    const t = new SequenceTracker();
    feed(t, [Number.MAX_SAFE_INTEGER]);
    const v = t.check(E, G, 7, 1, T0);
    expect(!v.duplicate && v.events.map((e) => [e.type, e.detail])).toEqual([['seq-reset', { gotSeq: 7 }]]);
    for (const e of v.duplicate ? [] : v.events) expect(GatewayEvent.safeParse(e).success).toBe(true);
  });

  it('a seq older than the window is a reset (cannot be vouched for)', () => {
    const t = new SequenceTracker({ window: 8 });
    feed(t, [100]);
    const v = t.check(E, G, 92, 1, T0);
    expect(!v.duplicate && v.events[0]?.type).toBe('seq-reset');
    expect(t.check(E, G, 93, 1, T0).duplicate).toBe(false);
  });

  it('a gap is reported only after the grace, and not at all when the late message arrives in time', () => {
    const t = new SequenceTracker({ gapGraceMs: 1000 });
    feed(t, [1, 4], T0);
    expect(t.sweep(T0 + 999)).toEqual([]);
    feed(t, [2], T0 + 500); // 3 still missing
    const reports = t.sweep(T0 + 1000);
    expect(reports.map((r) => [r.missing, r.event.type, r.event.detail])).toEqual([
      [1, 'seq-gap', { expectedSeq: 3, gotSeq: 4 }],
    ]);
    expect(t.sweep(T0 + 5000)).toEqual([]);
  });

  it('missing ranges stay bounded per gateway', () => {
    const t = new SequenceTracker({ maxMissingRanges: 3, gapGraceMs: 0 });
    feed(t, [0, 2, 4, 6, 8, 10]);
    const reports = t.sweep(T0);
    expect(reports.length).toBeLessThanOrEqual(3);
    expect(reports.reduce((n, r) => n + r.missing, 0)).toBeGreaterThanOrEqual(5);
  });

  it('gateways are tracked independently', () => {
    const t = new SequenceTracker();
    expect(t.check(E, 'a', 1, 1, T0).duplicate).toBe(false);
    expect(t.check(E, 'b', 1, 1, T0).duplicate).toBe(false);
    expect(t.size).toBe(2);
  });
});
