import { describe, expect, it } from 'vitest';
import { alarmLanes } from '../src/alarm-consumer';

const t = (alarmId: string, transition: string, seq: number) => ({
  ev: { alarmId, transition, seq } as unknown as { alarmId: string; transition: 'raise'; seq: number },
});

describe('alarmLanes', () => {
  it("keeps each alarm's transitions in batch order and puts raises and escalations first", () => {
    const lanes = alarmLanes([
      t('a', 'rtn', 3),
      t('b', 'comment', 1),
      t('a', 'raise', 4),
      t('c', 'raise', 0),
      t('d', 'escalate', 2),
      t('b', 'ack', 2),
    ]);
    expect(lanes.map((l) => l.map((x) => `${x.ev.alarmId}${x.ev.seq}`))).toEqual([
      ['c0'],
      ['d2'],
      ['a3', 'a4'],
      ['b1', 'b2'],
    ]);
  });
});
