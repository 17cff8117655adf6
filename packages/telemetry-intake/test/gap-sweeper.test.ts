import { createLogger } from '@yujing/logger';
import type { GatewayEvent } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { GapSweeper, SequenceTracker } from '../src/index';

const E = '140105001';
const G = 'gw-01';
const T0 = 1_000_000;
const logger = createLogger({ service: 'test', level: 'silent' });

function trackerWithGap(): SequenceTracker {
  const t = new SequenceTracker({ gapGraceMs: 1000 });
  for (const s of [1, 4]) {
    t.check(E, G, s, 5_000 + s, T0);
    t.commit(E, G, s, 5_000 + s, T0);
  }
  return t;
}

describe('GapSweeper', () => {
  it('counts, publishes and then forgets a confirmed gap', async () => {
    const published: GatewayEvent[][] = [];
    let missing = 0;
    const sweeper = new GapSweeper({
      tracker: trackerWithGap(),
      publish: async (events) => void published.push(events),
      onMissing: (n) => {
        missing += n;
      },
      logger,
      gapGraceMs: 1000,
    });
    sweeper.sweep(T0 + 500);
    expect(published).toEqual([]);
    sweeper.sweep(T0 + 1000);
    await sweeper.stop();
    expect(missing).toBe(2);
    expect(published.map((batch) => batch.map((e) => [e.type, e.detail]))).toEqual([
      [['seq-gap', { expectedSeq: 2, gotSeq: 4 }]],
    ]);
  });

  it('runs one publish at a time and survives a failed publish', async () => {
    let release!: () => void;
    let calls = 0;
    const sweeper = new GapSweeper({
      tracker: trackerWithGap(),
      publish: () => {
        calls++;
        return new Promise<void>((_, reject) => {
          release = () => reject(new Error('kafka down'));
        });
      },
      onMissing: () => {},
      logger,
      gapGraceMs: 1000,
    });
    sweeper.sweep(T0 + 1000);
    sweeper.sweep(T0 + 2000);
    expect(calls).toBe(1);
    release();
    await sweeper.stop();
  });
});
