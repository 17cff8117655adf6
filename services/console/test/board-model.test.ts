import { describe, expect, it } from 'vitest';
import type { AlarmEvent, ClosedLoopPolicy, EnterpriseSummary } from '../web/src/lib/alarm-types';
import {
  BoardModel,
  EMPTY_FILTER,
  filterAlarms,
  isOnBoard,
  levelCounts,
  loopDeadline,
  sortAlarms,
} from '../web/src/lib/board-model';

const T0 = Date.UTC(2026, 11, 4, 2, 0, 0);
const alarm = (over: Partial<AlarmEvent> = {}): AlarmEvent => ({
  alarmId: 'E1:CO-1:co-hh:1',
  enterpriseId: 'E1',
  point: 'CO-1',
  rule: 'co-hh',
  kind: 'threshold',
  level: 1,
  state: 'active-unack',
  loop: 'open',
  transition: 'raise',
  value: 200,
  limit: 160,
  eventTime: T0,
  emittedAt: T0,
  episodeStart: T0,
  seq: 1,
  ...over,
});
const enterprise = (
  id: string,
  city: string,
  county: string,
  industries = ['steel'],
  code = 'A',
): EnterpriseSummary => ({
  id,
  name: `企业${id}`,
  region: { province: '140000', city, county },
  industries,
  classification: { scheme: 'shanxi-yjgm-2024', code, rank: 1 },
  connectionRequiredBy: '2025-12-31',
  gateways: 1,
  points: 1,
});

describe('BoardModel', () => {
  it('keeps the latest transition per alarm by seq, so replays and re-listings neither duplicate nor rewind', () => {
    const m = new BoardModel();
    expect(m.apply(alarm())).toBe('new');
    expect(m.apply(alarm({ seq: 2, state: 'active-ack', transition: 'ack' }))).toBe('updated');
    expect(m.apply(alarm())).toBe('stale');
    m.load([alarm(), alarm({ seq: 2, state: 'active-ack' })]);
    expect(m.size).toBe(1);
    expect(m.get('E1:CO-1:co-hh:1')?.state).toBe('active-ack');
  });
});

describe('board rows', () => {
  const ents = new Map([
    ['E1', enterprise('E1', '140100', '140108')],
    ['E2', enterprise('E2', '140400', '140404', ['aluminium'])],
  ]);
  const rows = [
    alarm(),
    alarm({ alarmId: 'E2:CO-1:co-hh:2', enterpriseId: 'E2', level: 3, episodeStart: T0 + 1000 }),
    alarm({ alarmId: 'E1:CO-2:co-hh:3', point: 'CO-2', level: 2, state: 'shelved', episodeStart: T0 + 2000 }),
    alarm({ alarmId: 'E1:CO-3:co-hh:4', point: 'CO-3', state: 'normal', loop: 'closed' }),
  ];

  it('drops alarms that are back to normal and closed (销号), keeps the rest', () => {
    expect(rows.filter(isOnBoard).map((a) => a.alarmId)).not.toContain('E1:CO-3:co-hh:4');
    expect(isOnBoard(alarm({ state: 'normal', loop: 'disposed' }))).toBe(true);
  });

  it('filters by city or county, industry, level and state', () => {
    const ids = (f: Partial<typeof EMPTY_FILTER>) =>
      filterAlarms(rows, { ...EMPTY_FILTER, ...f }, ents).map((a) => a.alarmId);
    expect(ids({ region: '140400' })).toEqual(['E2:CO-1:co-hh:2']);
    expect(ids({ region: '140108' })).toEqual(['E1:CO-1:co-hh:1', 'E1:CO-2:co-hh:3']);
    expect(ids({ industry: 'aluminium' })).toEqual(['E2:CO-1:co-hh:2']);
    expect(ids({ levels: new Set([2, 3] as const) })).toEqual(['E2:CO-1:co-hh:2', 'E1:CO-2:co-hh:3']);
    expect(ids({ state: 'shelved' })).toEqual(['E1:CO-2:co-hh:3']);
  });

  it('sorts by raise time, level or enterprise and counts per level', () => {
    const visible = filterAlarms(rows, EMPTY_FILTER, ents);
    expect(sortAlarms([...visible], 'raised-desc', ents).map((a) => a.episodeStart)).toEqual([
      T0 + 2000,
      T0 + 1000,
      T0,
    ]);
    expect(sortAlarms([...visible], 'level', ents).map((a) => a.level)).toEqual([1, 2, 3]);
    expect(levelCounts(visible)).toEqual({ 1: 1, 2: 1, 3: 1, 4: 0 });
  });
});

describe('loopDeadline', () => {
  const policies: ClosedLoopPolicy[] = [
    {
      classification: ['A'],
      levels: [1],
      closedLoop: {
        verifyWithinMs: 1_800_000,
        disposeWithinMs: 14_400_000,
        feedbackWithinMs: 50_400_000,
        closeWithinMs: 86_400_000,
      },
    },
  ];
  const e = enterprise('E1', '140100', '140108');

  it('takes the step and deadline the worker stated, else derives them from the class × level policy', () => {
    expect(loopDeadline(alarm({ loopDue: { step: 'dispose', dueAt: 5 } }), e, policies)).toEqual({
      step: 'dispose',
      dueAt: 5,
    });
    expect(loopDeadline(alarm(), e, policies)).toEqual({ step: 'verify', dueAt: T0 + 1_800_000 });
    expect(loopDeadline(alarm({ loop: 'disposed' }), e, policies)).toEqual({
      step: 'feedback',
      dueAt: T0 + 50_400_000,
    });
    expect(loopDeadline(alarm({ loop: 'fed-back' }), e, policies)).toEqual({
      step: 'close',
      dueAt: T0 + 86_400_000,
    });
    expect(loopDeadline(alarm({ loop: 'closed' }), e, policies)).toBeUndefined();
    expect(loopDeadline(alarm({ level: 4 }), e, policies)).toEqual({ step: 'verify', dueAt: undefined });
  });
});
