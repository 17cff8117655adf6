import type { DeliveryRecordLine } from '@yujing/regulator-simulator';
import type { AlarmTransitionEvent, RegistryDocument } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { accountInjections, describeMissing, type Injection } from '../e2e/support/alarm-accounting';

const enterprise = {
  id: 'E1',
  classification: { code: 'A' },
  region: { province: '140000', city: '140100', county: '140108' },
};
const sub = (id: string, level: string, code: string) => ({
  id,
  scope: { level, code },
  enabled: true,
  events: ['alarm.raised'],
  maxLevel: 4,
});
const doc = {
  enterprises: [enterprise],
  policies: [
    {
      id: 'p',
      classification: ['A'],
      levels: [1],
      steps: [
        { afterMs: 0, notify: 'enterprise' },
        { afterMs: 0, notify: 'county' },
        { afterMs: 900_000, notify: 'city' },
      ],
    },
  ],
  subscriptions: [
    sub('ent', 'enterprise', 'E1'),
    sub('cty', 'county', '140108'),
    sub('city', 'city', '140100'),
  ],
} as unknown as RegistryDocument;
const raise = (point: string, eventTime: number, seq: number) =>
  ({
    alarmId: `E1:${point}:co-limits:${eventTime}`,
    enterpriseId: 'E1',
    point,
    rule: 'co-limits',
    transition: 'raise',
    level: 1,
    eventTime,
    seq,
  }) as unknown as AlarmTransitionEvent;
const delivered = (alarm: AlarmTransitionEvent, subscriptionId: string, receivedAt: number) =>
  ({
    receivedAt,
    subscriptionId,
    event: 'alarm.raised',
    outcome: 'accepted',
    payload: { alarm },
  }) as unknown as DeliveryRecordLine;

describe('accountInjections', () => {
  const inj = (id: string, point: string, ts: number): Injection => ({
    id,
    enterpriseId: 'E1',
    point,
    ts,
    value: 300,
  });

  it('owes one raise per injection and one delivery per subscription of the immediate steps', () => {
    const a1 = raise('CO-1', 1000, 0);
    const a2 = raise('CO-1', 5000, 2); // the same point again: same episode rules, a new raise
    const account = accountInjections(
      [inj('inj-1', 'CO-1', 1000), inj('inj-2', 'CO-1', 5000)],
      [a1, a2],
      [
        delivered(a1, 'ent', 1100),
        delivered(a1, 'cty', 1200),
        delivered(a2, 'ent', 5050),
        delivered(a2, 'cty', 5090),
      ],
      doc,
      'co-limits',
    );
    expect(describeMissing(account)).toEqual([]);
    expect(account.accounts.map((a) => a.expected.sort())).toEqual([
      ['cty', 'ent'],
      ['cty', 'ent'],
    ]);
    expect(account.latenciesMs.sort((x, y) => x - y)).toEqual([50, 90, 100, 200]);
    expect(account.mustDeliver).toBe(4);
  });

  it('names an injection that was not raised and one raised but not delivered everywhere', () => {
    const a1 = raise('CO-1', 1000, 0);
    const account = accountInjections(
      [inj('inj-1', 'CO-1', 1000), inj('inj-2', 'CO-2', 2000)],
      [a1, raise('CO-2', 1999, 0)],
      [delivered(a1, 'ent', 1100)],
      doc,
      'co-limits',
    );
    const missing = describeMissing(account);
    expect(missing).toHaveLength(2);
    expect(missing[0]).toMatch(/^inj-2 E1:CO-2 ts 2000: no raise/);
    expect(missing[1]).toMatch(/^inj-1 .* not delivered to cty$/);
  });
});
