import { afterEach, describe, expect, it } from 'vitest';
import { openLoopOf } from '../src/reports/open-loops';
import { alarmEvent, bearer, DATONG, E_DT, E_TY, harness, NOW, TAIYUAN, token } from './route-harness';

type H = Awaited<ReturnType<typeof harness>>;
let h: H | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const HOUR = 3_600_000;
const episode = (enterpriseId: string, minutesAgo: number, over: Parameters<typeof alarmEvent>[1] = {}) => {
  const episodeStart = NOW - minutesAgo * 60_000;
  return alarmEvent(enterpriseId, {
    alarmId: `${enterpriseId}:CO-BF1-003:co-high:${episodeStart}`,
    episodeStart,
    eventTime: episodeStart,
    emittedAt: episodeStart,
    ...over,
  });
};

describe('openLoopOf (pure)', () => {
  const deadlines = { verifyWithinMs: HOUR, disposeWithinMs: 2 * HOUR, closeWithinMs: 24 * HOUR };
  it.each([
    ['open', 'verify', HOUR],
    ['verified', 'dispose', 2 * HOUR],
    ['disposed', 'feedback', 24 * HOUR], // no feedbackWithinMs: the 销号 deadline
    ['fed-back', 'close', 24 * HOUR],
  ] as const)('a loop in %s waits for %s, due %i ms after the raise', (loop, step, within) => {
    const a = episode(E_TY, 0, { loop });
    expect(openLoopOf(a, deadlines, NOW)).toMatchObject({
      step,
      dueAt: a.episodeStart + within,
      overdue: false,
    });
    expect(openLoopOf(a, deadlines, a.episodeStart + within + 5)).toMatchObject({
      overdue: true,
      overdueByMs: 5,
    });
  });
  it('a closed loop is not open, and without a policy there is no deadline', () => {
    expect(openLoopOf(episode(E_TY, 0, { loop: 'closed' }), deadlines, NOW)).toBeUndefined();
    expect(openLoopOf(episode(E_TY, 999), undefined, NOW)).toMatchObject({ dueAt: null, overdue: false });
  });
});

describe('GET /api/v1/loops', () => {
  const late = episode(E_TY, 120); // 核实 due 60 min after the raise: 1 h overdue
  const onTime = episode(E_TY, 10, { loop: 'verified', seq: 3, transition: 'verify' });
  const closed = episode(E_TY, 200, { loop: 'closed', seq: 6, transition: 'close' });
  const datong = episode(E_DT, 180);

  it('lists the open loops of the caller’s region, most overdue first, with the step and deadline', async () => {
    h = await harness();
    h.history.alarms.push(late, onTime, closed, datong);
    const reg = await token('regulator', { level: 'city', code: TAIYUAN.city }, { sub: 'reg-ty' });
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/loops', headers: bearer(reg) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((l: { alarm: { alarmId: string } }) => l.alarm.alarmId)).toEqual([
      late.alarmId,
      onTime.alarmId,
    ]);
    expect(body.items[0]).toMatchObject({ step: 'verify', dueAt: late.episodeStart + HOUR, overdue: true });
    expect(body.items[0].overdueByMs).toBe(HOUR);
    expect(body.items[1]).toMatchObject({ step: 'dispose', overdue: false, overdueByMs: 0 });
    expect(body).toMatchObject({ count: 2, overdue: 1, byLevel: { '1': 2 } });
  });

  it('overdue=true keeps the overdue ones; a province operator sees both cities, filtered by region', async () => {
    h = await harness();
    h.history.alarms.push(late, onTime, closed, datong);
    const op = await token('operator', { level: 'province', code: '140000' }, { sub: 'op-1' });
    const all = await h.app.inject({ method: 'GET', url: '/api/v1/loops?overdue=true', headers: bearer(op) });
    expect(all.json().items.map((l: { alarm: { alarmId: string } }) => l.alarm.alarmId)).toEqual([
      datong.alarmId,
      late.alarmId,
    ]);
    const dt = await h.app.inject({
      method: 'GET',
      url: `/api/v1/loops?overdue=true&region=${DATONG.city}`,
      headers: bearer(op),
    });
    expect(dt.json().items.map((l: { alarm: { alarmId: string } }) => l.alarm.alarmId)).toEqual([
      datong.alarmId,
    ]);
    const bad = await h.app.inject({
      method: 'GET',
      url: '/api/v1/loops?overdue=maybe',
      headers: bearer(op),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['querystring.overdue']);
  });
});
