import type { DeliveryRecordLine } from '@yujing/regulator-simulator';
import type { AlarmTransitionEvent, RegistryDocument } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import type { Injection } from '../e2e/support/alarm-accounting';
import { accountAlarms, formatMatrix } from '../fault/support/fault-row-account';

const document = {
  enterprises: [{ id: 'E1', classification: { code: 'C1' }, region: { city: '140100', county: '140105' } }],
  policies: [{ id: 'p', classification: ['C1'], levels: [1], steps: [{ afterMs: 0, notify: 'enterprise' }] }],
  subscriptions: [
    {
      id: 'sub-e1',
      enabled: true,
      scope: { level: 'enterprise', code: 'E1' },
      events: ['alarm.raised'],
      maxLevel: 4,
    },
  ],
} as unknown as Pick<RegistryDocument, 'enterprises' | 'policies' | 'subscriptions'>;

const injection = (n: number, ts: number): Injection => ({
  id: `i-${n}`,
  enterpriseId: 'E1',
  point: `CO-${n}`,
  ts,
  value: 300,
});
const event = (
  i: Injection,
  transition: 'raise' | 'rtn',
  seq: number,
  episode = i.ts,
): AlarmTransitionEvent =>
  ({
    alarmId: `E1:${i.point}:co-limits:${episode}`,
    enterpriseId: 'E1',
    point: i.point,
    rule: 'co-limits',
    level: 1,
    transition,
    seq,
    eventTime: transition === 'raise' ? i.ts : i.ts + 10_000,
    episodeStart: episode,
  }) as AlarmTransitionEvent;
const delivery = (
  a: AlarmTransitionEvent,
  deliveryId: string,
  outcome: 'accepted' | 'duplicate' = 'accepted',
) =>
  ({
    receivedAt: a.eventTime + 100,
    subscriptionId: 'sub-e1',
    path: '/hooks/e1',
    deliveryId,
    event: 'alarm.raised',
    outcome,
    status: 200,
    attempt: 1,
    payload: { alarm: a },
  }) as unknown as DeliveryRecordLine;

describe('fault matrix row accounting', () => {
  it('a clean row: raised once, returned, delivered (a notice carrying the later rtn seq counts)', () => {
    const [a, b] = [injection(1, 1_000), injection(2, 2_000)];
    const alarms = [event(a, 'raise', 0), event(b, 'raise', 0), event(a, 'rtn', 1), event(b, 'rtn', 1)];
    const r = accountAlarms(
      [a, b],
      alarms,
      [delivery(alarms[0]!, 'd1'), delivery(alarms[3]!, 'd2'), delivery(alarms[0]!, 'd1', 'duplicate')],
      document,
      'co-limits',
    );
    expect(r).toMatchObject({
      injections: 2,
      raised: 2,
      duplicateAlarms: 0,
      missingTransitions: 0,
      deliveriesOwed: 2,
      delivered: 2,
      redeliveries: 1,
      problems: [],
    });
  });

  it('counts a second alarm id for one injection, a raise of no injection, a missing rtn and an undelivered raise', () => {
    const [a, b] = [injection(1, 1_000), injection(2, 2_000)];
    const alarms = [
      event(a, 'raise', 0),
      event(a, 'raise', 0, 999), // the same reading raised under a second alarm id
      event(a, 'rtn', 1),
      event(injection(3, 3_000), 'raise', 0), // no such injection
      event(b, 'raise', 0), // never returns, never delivered
    ];
    const r = accountAlarms([a, b], alarms, [delivery(alarms[0]!, 'd1')], document, 'co-limits');
    expect(r.duplicateAlarms).toBe(2);
    expect(r.missingTransitions).toBe(2); // b, and the second id of a (which never returns)
    expect(r.delivered).toBe(0); // the raise accounted for a is its second id, never delivered
    expect(r.deliveriesOwed).toBe(2);
    expect(r.problems).toContain('E1:CO-2:co-limits:2000: no rtn');
  });

  it('prints one table line per row', () => {
    const table = formatMatrix([
      {
        row: 'Kafka',
        readingsAcked: 10,
        readingsStored: 9,
        readingsLost: 1,
        injections: 2,
        raised: 2,
        duplicateAlarms: 0,
        missingTransitions: 0,
        deliveriesOwed: 2,
        delivered: 2,
        redeliveries: 0,
        recoverMs: 12_345,
        note: '',
      },
    ]);
    expect(table.split('\n')[2]).toBe('| Kafka | 10 / 9 / 1 | 2 / 2 | 0 | 0 | 2 / 2 (0) | 12.3 s |  |');
  });
});
