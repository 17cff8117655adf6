import type { AlarmTransitionEvent } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { AlarmBoard } from '../src/commands/alarm-board';

const T = Date.UTC(2026, 10, 28, 2, 0, 0); // 10:00:00 CST
const ev = (over: Partial<AlarmTransitionEvent>): AlarmTransitionEvent => ({
  alarmId: 'E1:CO-1:co-limits:1',
  enterpriseId: 'E1',
  point: 'CO-1',
  rule: 'co-limits',
  kind: 'threshold',
  level: 3,
  state: 'active-unack',
  loop: 'open',
  transition: 'raise',
  value: 30,
  limit: 24,
  eventTime: T,
  emittedAt: T,
  episodeStart: T,
  seq: 0,
  ...over,
});

describe('AlarmBoard', () => {
  it('prints one line per transition and tracks active alarms until they clear', () => {
    const b = new AlarmBoard(false);
    expect(b.apply(ev({}))).toBe(
      '10:00:00 RAISED        L3 三级/黄 E1:CO-1 co-limits threshold value 30 (limit 24) [active-unack]',
    );
    expect(
      b.apply(ev({ seq: 1, transition: 'escalate', level: 1, value: 170, limit: 160, emittedAt: T + 5000 })),
    ).toContain('10:00:05 ESCALATED     L1 一级/红');
    const ack = b.apply(
      ev({
        seq: 2,
        transition: 'ack',
        level: 1,
        state: 'active-ack',
        actor: { id: 'u1', role: 'operator', name: '王工' },
      }),
    );
    expect(ack).toContain('ACKED');
    expect(ack).toContain('by 王工');
    expect(b.activeCount).toBe(1);
    expect(b.table()[0]).toBe('── active alarms: 1   L1 一级/红×1  L2 二级/橙×0  L3 三级/黄×0  L4 四级/蓝×0');
    expect(b.apply(ev({ seq: 3, transition: 'clear', state: 'normal', level: 1 }))).toContain('CLEARED');
    expect(b.activeCount).toBe(0);
  });

  it('rounds raw doubles to 3 decimals', () => {
    expect(new AlarmBoard(false).apply(ev({ value: 83.70000000000002, limit: 80 }))).toContain(
      'value 83.7 (limit 80)',
    );
  });

  it('ignores a transition it has already seen (replay after reconnect)', () => {
    const b = new AlarmBoard(false);
    b.apply(ev({ seq: 4 }));
    expect(b.apply(ev({ seq: 4 }))).toBeUndefined();
    expect(b.apply(ev({ seq: 3, transition: 'clear', state: 'normal' }))).toBeUndefined();
    expect(b.activeCount).toBe(1);
  });

  it('colours by level: 1 red … 4 blue', () => {
    const b = new AlarmBoard(true);
    expect(b.apply(ev({ level: 1 }))).toContain('\x1b[1;31mL1 一级/红');
    expect(b.apply(ev({ alarmId: 'x', level: 4 }))).toContain('\x1b[1;34mL4 四级/蓝');
  });

  it('loads a snapshot of active alarms, most severe first in the table', () => {
    const b = new AlarmBoard(false);
    b.load([
      ev({ alarmId: 'a', level: 3 }),
      ev({ alarmId: 'b', level: 1, point: 'CO-2' }),
      ev({ alarmId: 'c', state: 'normal' }),
    ]);
    const t = b.table();
    expect(b.activeCount).toBe(2);
    expect(t[1]).toContain('L1 一级/红 E1:CO-2');
  });

  it('renders a delivery as a DELIVERED line', () => {
    const line = new AlarmBoard(false).deliveryLine({
      receivedAt: T,
      subscriptionId: 'sub-taiyuan-city',
      event: 'alarm.escalated',
      deliveryId: 'd1',
      outcome: 'accepted',
      level: 1,
      point: 'CO-1',
      enterpriseId: 'E1',
    });
    expect(line).toBe(
      '10:00:00 DELIVERED     L1 一级/红 alarm.escalated → sub-taiyuan-city E1:CO-1 delivery=d1',
    );
  });
});
