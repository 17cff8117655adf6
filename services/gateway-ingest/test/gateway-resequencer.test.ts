import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayResequencer } from '../src/gateway-resequencer';

describe('GatewayResequencer', () => {
  afterEach(() => vi.useRealTimers());

  it('lets a message go at once when it follows the last one released, or the gateway is new', async () => {
    const r = new GatewayResequencer({ holdMs: 500 });
    expect(await r.turn('e\0g', 7)).toBe('now');
    r.release('e\0g', 7);
    expect(await r.turn('e\0g', 8)).toBe('now');
    r.release('e\0g', 8);
    // a restarted gateway counts from 0 again: nothing to wait for
    expect(await r.turn('e\0g', 0)).toBe('now');
  });

  it('holds a message that overtook its predecessor until the predecessor went', async () => {
    const r = new GatewayResequencer({ holdMs: 60_000 });
    r.release('e\0g', 0);
    r.release('e\0g', 1);
    const produced: number[] = [];
    const early = r.turn('e\0g', 3).then((t) => {
      produced.push(3);
      r.release('e\0g', 3);
      return t;
    });
    const middle = r.turn('e\0g', 2).then((t) => {
      produced.push(2);
      r.release('e\0g', 2);
      return t;
    });
    expect(await middle).toBe('now');
    expect(await early).toBe('in-order');
    expect(produced).toEqual([2, 3]);
    expect(r.held).toBe(0);
  });

  it('gives up on a gap after the hold and orders the gateways independently', async () => {
    vi.useFakeTimers();
    const r = new GatewayResequencer({ holdMs: 500 });
    for (const k of ['e\0a', 'e\0b']) for (const seq of [0, 1]) r.release(k, seq);
    const a = r.turn('e\0a', 5);
    expect(await r.turn('e\0b', 2)).toBe('now');
    expect(r.held).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(await a).toBe('gave-up');
    r.release('e\0a', 5);
    // the late predecessor goes at once (the rules-worker judges it late); so does the next one
    expect(await r.turn('e\0a', 4)).toBe('now');
    expect(await r.turn('e\0a', 6)).toBe('now');
  });

  it('never holds a gateway whose seq skips: at most one hold per gap', async () => {
    const r = new GatewayResequencer({ holdMs: 60_000 });
    // numbered in steps of 10 (monotonic, but not one by one)
    for (const seq of [10, 20, 30]) {
      expect(await r.turn('e\0g', seq)).toBe('now');
      r.release('e\0g', seq);
    }
    expect(await r.turn('e\0g', 50)).toBe('now');
  });

  it('orders nothing with a hold of 0', async () => {
    const r = new GatewayResequencer({ holdMs: 0 });
    r.release('e\0g', 0);
    r.release('e\0g', 1);
    expect(await r.turn('e\0g', 9)).toBe('now');
  });
});
