import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationJobId } from '../src/escalation-plan';
import { CITY_DELAY_MS, E1, nextEvent, PROVINCE_DELAY_MS, raiseEvent } from './dispatch-fixtures';
import { expectSigned, type Harness, payload, startHarness } from './dispatcher-harness';
import type { Received } from './webhook-receiver';

/** Escalation against the real Kafka and Redis: timing of steps, ack, reminders, resolution. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness('dispatch-esc');
});
afterAll(async () => {
  await h?.stop();
});

describe('escalation along the region chain', () => {
  it('notifies enterprise and county at once, the city and province after their delays, nobody outside the region', async () => {
    const raise = raiseEvent(E1, 1);
    await h.send(raise);
    const got = await waitFor(
      () => {
        const subs = ['ent-e1', 'county-140105', 'city-140100', 'province-140000'].map((s) =>
          h.receiver.for(s, raise.alarmId),
        );
        return subs.every((r) => r.length > 0) && subs.map((r) => r[0] as Received);
      },
      { timeoutMs: PROVINCE_DELAY_MS + 15_000, message: 'all four steps delivered' },
    );
    const [ent, county, city, province] = got as [Received, Received, Received, Received];
    for (const r of got) expectSigned(r);
    expect([ent, county].map((r) => payload(r).event)).toEqual(['alarm.raised', 'alarm.raised']);
    expect([city, province].map((r) => payload(r).event)).toEqual(['alarm.escalated', 'alarm.escalated']);
    expect(payload(city).step).toEqual({ index: 2, target: 'city' });
    // Not before their configured delays from the raise.
    expect(city.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + CITY_DELAY_MS);
    expect(province.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + PROVINCE_DELAY_MS);
    expect(ent.receivedAt).toBeLessThan(raise.emittedAt + CITY_DELAY_MS);
    for (const other of ['county-140106', 'city-140200', 'province-130000'])
      expect(h.receiver.for(other)).toEqual([]);
    const state = await h.dispatcher.state.get(raise.alarmId);
    expect(state?.notified).toEqual(['city-140100', 'county-140105', 'ent-e1', 'province-140000']);
  });

  it('stops escalating once the ack is processed: city and province are never notified', async () => {
    const raise = raiseEvent(E1, 1);
    await h.send(raise);
    await waitFor(
      () =>
        h.receiver.for('ent-e1', raise.alarmId).length > 0 &&
        h.receiver.for('county-140105', raise.alarmId).length > 0,
      {
        message: 'immediate steps delivered',
      },
    );
    const ack = nextEvent(raise, {
      transition: 'ack',
      state: 'active-ack',
      actor: { id: 'op-1', role: 'operator' },
    });
    await h.send(ack);
    // The acknowledgement notice reaches those already notified: proof the ack was processed.
    const ackNotices = await waitFor(() => {
      const n = [
        ...h.receiver.for('ent-e1', raise.alarmId),
        ...h.receiver.for('county-140105', raise.alarmId),
      ].filter((r) => payload(r).event === 'alarm.acknowledged');
      return n.length === 2 && n;
    });
    for (const r of ackNotices) expectSigned(r);
    const state = await h.dispatcher.state.get(raise.alarmId);
    expect(state).toMatchObject({ acked: true, notified: ['county-140105', 'ent-e1'] });
    // The pending steps are gone from Redis (removed) or, had one been running, ended skipped.
    for (const stepIndex of [2, 3]) {
      const job = await h.dispatcher.queues.escalation.getJob(
        escalationJobId({ alarmId: raise.alarmId, planVersion: raise.seq, kind: 'step', stepIndex }),
      );
      if (job) expect(job.returnvalue).toEqual({ outcome: 'skipped', reason: 'acknowledged' });
    }
    // Wait until the province step would have been due, plus margin, then look at what arrived.
    await waitFor(() => Date.now() > raise.emittedAt + PROVINCE_DELAY_MS + 1500, {
      timeoutMs: PROVINCE_DELAY_MS + 5000,
    });
    expect(h.receiver.for('city-140100', raise.alarmId)).toEqual([]);
    expect(h.receiver.for('province-140000', raise.alarmId)).toEqual([]);
  });

  it('sends reminders with back-off while unacknowledged, at most maxCount', async () => {
    const raise = raiseEvent(E1, 2);
    await h.send(raise);
    const reminders = await waitFor(
      () => {
        const r = h.receiver
          .for('ent-e1', raise.alarmId)
          .filter((x) => payload(x).event === 'alarm.reminder');
        return r.length === 2 && r;
      },
      { timeoutMs: 15_000 },
    );
    const [first, second] = reminders as [Received, Received];
    expect(first.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + 1000);
    expect(second.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + 1000 + 1500);
    expect(payload(first).deliveryId).not.toBe(payload(second).deliveryId);
    // maxCount = 2: no third reminder is even scheduled.
    const third = await h.dispatcher.queues.escalation.getJob(
      escalationJobId({ alarmId: raise.alarmId, planVersion: 1, kind: 'reminder', stepIndex: 2 }),
    );
    expect(third).toBeUndefined();
  });

  it('a clear sends alarm.resolved to everyone notified, once', async () => {
    const raise = raiseEvent(E1, 1);
    await h.send(raise);
    await waitFor(() => h.receiver.for('county-140105', raise.alarmId).length > 0);
    const clear = nextEvent(raise, { transition: 'clear', state: 'normal' });
    await h.send(clear);
    await h.send(clear); // consumed twice: still one notice each
    const resolved = () =>
      h.receiver.received.filter(
        (r) => payload(r).alarm.alarmId === raise.alarmId && payload(r).event === 'alarm.resolved',
      );
    await waitFor(() => resolved().length >= 2);
    await h.waitIdle();
    expect(
      resolved()
        .map((r) => r.subscriptionId)
        .sort(),
    ).toEqual(['county-140105', 'ent-e1']);
    for (const r of resolved()) expectSigned(r);
  });
});
