import { describe, expect, it } from 'vitest';
import { PointState, SlotState } from '../src/engine-state';
import { NumberPool } from '../src/number-pool';

describe('NumberPool', () => {
  it('hands out disjoint ranges, across chunk boundaries too', () => {
    const pool = new NumberPool(16, 32);
    const taken: Array<{ chunk: Float64Array; at: number }> = [];
    for (let i = 0; i < 20; i++) {
      const at = pool.reserve(7);
      taken.push({ chunk: pool.chunk, at });
    }
    for (const [i, { chunk, at }] of taken.entries()) chunk.fill(i, at, at + 7);
    for (const [i, { chunk, at }] of taken.entries())
      expect([...chunk.subarray(at, at + 7)]).toEqual(Array(7).fill(i));
    expect(new Set(taken.map((t) => t.chunk)).size).toBeGreaterThan(1);
  });

  it('keeps the numbers of slots and points of one pool apart', () => {
    const pool = new NumberPool(8, 64);
    const slots = Array.from({ length: 5 }, () => new SlotState(pool));
    const point = new PointState('P1', pool, ['a', 'b']);
    slots.forEach((s, i) => {
      s.pendingSince = 1_000 + i;
      s.act2 = 2_000 + i;
      s.limit = i / 2;
    });
    point.lastTs = 1.8e12;
    point.sameSince = 7;
    point.slots[1]!.value = 42;
    slots.forEach((s, i) => {
      expect([s.pendingSince, s.offSince, s.deSince, s.value, s.limit, s.act0, s.act1, s.act2]).toEqual([
        1_000 + i,
        -1,
        -1,
        0,
        i / 2,
        -1,
        -1,
        2_000 + i,
      ]);
    });
    expect([point.lastTs, point.lastValue, point.lastReceivedAt, point.sameSince]).toEqual([
      1.8e12,
      Number.NaN,
      -1,
      7,
    ]);
    expect(point.slots[0]!.value).toBe(0);
    expect(point.slots[1]!.value).toBe(42);
  });

  it('gives a slot made without a pool numbers of its own', () => {
    const a = new SlotState();
    const b = new SlotState();
    a.offSince = 5;
    expect(b.offSince).toBe(-1);
    expect(Number.isNaN(b.limit)).toBe(true);
  });
});
