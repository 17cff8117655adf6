import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_DELAY_MS, E1, nextEvent, PROVINCE_DELAY_MS, raiseEvent } from './dispatch-fixtures';
import { expectSigned, type Harness, payload, startHarness } from './dispatcher-harness';

/** De-escalation and closed-loop supervision against the real Kafka, Redis and a local receiver. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness('dispatch-loop');
});
afterAll(async () => {
  await h?.stop();
});

const CHAIN = ['ent-e1', 'county-140105', 'city-140100', 'province-140000'];

describe('de-escalation follows the less severe chain', () => {
  it('a level-1 alarm that drops to level 3 before the city step never reaches city or province', async () => {
    const raise = raiseEvent(E1, 1);
    await h.send(raise);
    await waitFor(
      () =>
        h.receiver.for('ent-e1', raise.alarmId).length > 0 &&
        h.receiver.for('county-140105', raise.alarmId).length > 0,
      { message: 'immediate steps of the level-1 chain delivered' },
    );
    await h.send(nextEvent(raise, { transition: 'deescalate', level: 3, value: 30, limit: 24 }));
    const state = await waitFor(
      async () => {
        const s = await h.dispatcher.state.get(raise.alarmId);
        return s?.policyId === 'a-level-3' && s;
      },
      { message: 'the level-3 policy took over the plan' },
    );
    expect(state).toMatchObject({ planVersion: raise.seq + 1, baseMs: raise.emittedAt });
    // Until the province step of the severe chain would have been due, plus margin.
    await waitFor(() => Date.now() > raise.emittedAt + PROVINCE_DELAY_MS + 1500, {
      timeoutMs: PROVINCE_DELAY_MS + 5000,
    });
    await h.waitIdle();
    expect(h.receiver.for('city-140100', raise.alarmId)).toEqual([]);
    expect(h.receiver.for('province-140000', raise.alarmId)).toEqual([]);
    // The lighter chain's steps were already due at the de-escalation: enterprise and county are not paged twice.
    expect(h.receiver.for('ent-e1', raise.alarmId)).toHaveLength(1);
    expect(h.receiver.for('county-140105', raise.alarmId)).toHaveLength(1);
    expect(CITY_DELAY_MS).toBeLessThan(PROVINCE_DELAY_MS);
  });
});

describe('closed-loop supervision', () => {
  it('loop-overdue sends loop.overdue to every target of the chain, signed, once, and nobody outside the region', async () => {
    const raise = raiseEvent(E1, 1);
    const ack = nextEvent(raise, {
      transition: 'ack',
      state: 'active-ack',
      actor: { id: 'op', role: 'operator' },
    });
    const overdue = nextEvent(ack, {
      transition: 'loop-overdue',
      loopDue: { step: 'verify', dueAt: raise.episodeStart + 1000 },
    });
    for (const ev of [raise, ack, overdue, overdue]) await h.send(ev);
    const notices = await waitFor(
      () => {
        const got = CHAIN.map(
          (s) => h.receiver.for(s, raise.alarmId).filter((r) => payload(r).event === 'loop.overdue')[0],
        );
        return got.every(Boolean) && got;
      },
      { message: 'loop.overdue at every level of the chain' },
    );
    for (const r of notices) {
      if (!r) continue;
      expectSigned(r);
      expect(r.headers['x-yujing-event']).toBe('loop.overdue');
      expect(payload(r).alarm).toMatchObject({
        transition: 'loop-overdue',
        loopDue: { step: 'verify' },
      });
    }
    await h.waitIdle();
    const all = h.receiver.received.filter(
      (r) => payload(r).alarm.alarmId === raise.alarmId && payload(r).event === 'loop.overdue',
    );
    expect(all.map((r) => r.subscriptionId).sort()).toEqual([...CHAIN].sort());
  });
});
