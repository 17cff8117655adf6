import { DutyRoster, Person } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { onDuty, shiftCovers } from '../src/notify/duty-roster';
import { followUpPeople, parsePersonRecipientId, peopleForStep } from '../src/notify/person-recipients';
import { inQuietHours } from '../src/notify/quiet-hours';
import { formatShanghai, shanghaiTime } from '../src/notify/shanghai-clock';

/** Who is on duty when, quiet hours, and which people a step reaches: pure, instants in Asia/Shanghai. */
const at = (local: string) => Date.parse(`${local}+08:00`); // 2026-12-07 is a Monday

const enterprise = { id: '140105MD01', region: { province: '140000', city: '140100', county: '140105' } };
const sms = (id = 'sms', maxLevel = 4) => ({ id, kind: 'sms', phone: '13800000000', maxLevel });
const person = (id: string, over: Record<string, unknown> = {}) =>
  Person.parse({
    id,
    name: id,
    scope: { level: 'enterprise', code: enterprise.id },
    roles: ['enterprise-duty-operator'],
    channels: [sms()],
    ...over,
  });
const roster = (over: Record<string, unknown>) =>
  DutyRoster.parse({
    id: 'ops',
    scope: { level: 'enterprise', code: enterprise.id },
    role: 'enterprise-duty-operator',
    ...over,
  });

describe('Asia/Shanghai clock', () => {
  it('reads weekday and minute in UTC+8 whatever the host zone', () => {
    // 2026-12-06T17:30Z is Monday 01:30 in Shanghai.
    expect(shanghaiTime(Date.parse('2026-12-06T17:30:00Z'))).toEqual({ isoWeekday: 1, minuteOfDay: 90 });
    expect(formatShanghai(Date.parse('2026-12-06T17:30:05Z'))).toBe('2026-12-07 01:30:05');
  });
});

describe('on-call roster', () => {
  const day = { personId: 'wang', days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' };
  const night = { personId: 'li', days: [1, 2, 3, 4, 5], start: '20:00', end: '08:00' };

  it.each([
    ['Monday 08:00 (start is inside)', '2026-12-07T08:00:00', ['wang']],
    ['Monday 19:59', '2026-12-07T19:59:00', ['wang']],
    ['Monday 20:00 (end is outside the day shift)', '2026-12-07T20:00:00', ['li']],
    ['Tuesday 03:00 (tail of Monday night)', '2026-12-08T03:00:00', ['li']],
    ['Saturday 03:00 (tail of Friday night)', '2026-12-12T03:00:00', ['li']],
    ['Saturday 12:00 (nobody)', '2026-12-12T12:00:00', []],
    ['Monday 03:00 (Sunday night is not rostered)', '2026-12-07T03:00:00', []],
  ])('%s', (_label, local, expected) => {
    expect(onDuty(roster({ shifts: [day, night] }), at(local))).toEqual(expected);
  });

  it('a one-off override replaces the regular shifts while it lasts', () => {
    const r = roster({
      shifts: [day],
      overrides: [{ personId: 'zhao', from: '2026-12-07T12:00:00+08:00', to: '2026-12-07T14:00:00+08:00' }],
    });
    expect(onDuty(r, at('2026-12-07T13:00:00'))).toEqual(['zhao']);
    expect(onDuty(r, at('2026-12-07T14:00:00'))).toEqual(['wang']);
  });

  it('a shift with end = start covers the whole day and the next morning', () => {
    const full = { days: [3], start: '09:00', end: '09:00' };
    expect(shiftCovers(full, at('2026-12-09T09:00:00'))).toBe(true);
    expect(shiftCovers(full, at('2026-12-10T08:59:00'))).toBe(true);
    expect(shiftCovers(full, at('2026-12-10T09:00:00'))).toBe(false);
  });
});

describe('quiet hours', () => {
  const quiet = [{ start: '22:00', end: '07:00', levels: [3, 4] }];
  it('hold back the listed levels overnight, never level 1, and nothing by day', () => {
    expect(inQuietHours(quiet, 3, at('2026-12-07T23:00:00'))).toBe(true);
    expect(inQuietHours(quiet, 4, at('2026-12-08T06:59:00'))).toBe(true);
    expect(inQuietHours(quiet, 2, at('2026-12-07T23:00:00'))).toBe(false);
    expect(inQuietHours(quiet, 3, at('2026-12-08T07:00:00'))).toBe(false);
    expect(inQuietHours([{ start: '00:00', end: '00:00', levels: [2] }], 1, at('2026-12-07T23:00:00'))).toBe(
      false,
    );
  });
});

describe('people a step reaches', () => {
  const view = (people: Person[], rosters: DutyRoster[] = []) => ({
    people: () => people,
    rosters: () => rosters,
  });
  const wang = person('wang', { channels: [sms('sms'), sms('voice', 1)] });
  const li = person('li', { quietHours: [{ start: '22:00', end: '07:00', levels: [2, 3, 4] }] });
  const boss = person('boss', { roles: ['enterprise-safety-manager'] });
  const county = person('zhou', {
    scope: { level: 'county', code: '140105' },
    roles: ['county-duty-officer'],
  });
  const shifts = roster({
    shifts: [
      { personId: 'wang', start: '08:00', end: '20:00' },
      { personId: 'li', start: '20:00', end: '08:00' },
    ],
  });
  const v = view([wang, li, boss, county], [shifts]);

  it('an enterprise step pages the duty operator on shift and the safety manager (no roster: always)', () => {
    const r = peopleForStep({
      view: v,
      target: 'enterprise',
      enterprise,
      level: 2,
      nowMs: at('2026-12-07T10:00:00'),
    });
    expect(r.recipients.map((x) => x.id)).toEqual(['person.boss.sms', 'person.wang.sms']);
    expect(r.skipped).toEqual([]);
  });

  it('level 1 also uses channels limited to level 1 and passes quiet hours', () => {
    const day = peopleForStep({
      view: v,
      target: 'enterprise',
      enterprise,
      level: 1,
      nowMs: at('2026-12-07T10:00:00'),
    });
    expect(day.recipients.map((x) => x.id)).toEqual([
      'person.boss.sms',
      'person.wang.sms',
      'person.wang.voice',
    ]);
    const night = peopleForStep({
      view: v,
      target: 'enterprise',
      enterprise,
      level: 1,
      nowMs: at('2026-12-07T23:00:00'),
    });
    expect(night.recipients.map((x) => x.id)).toEqual(['person.boss.sms', 'person.li.sms']);
  });

  it('quiet hours hold back a level-2 alarm for the night operator, and say so', () => {
    const r = peopleForStep({
      view: v,
      target: 'enterprise',
      enterprise,
      level: 2,
      nowMs: at('2026-12-07T23:00:00'),
    });
    expect(r.recipients.map((x) => x.id)).toEqual(['person.boss.sms']);
    expect(r.skipped).toEqual([{ personId: 'li', reason: 'quiet-hours' }]);
  });

  it('a county step pages the county duty officer; a step naming roles pages only those', () => {
    const c = peopleForStep({
      view: v,
      target: 'county',
      enterprise,
      level: 2,
      nowMs: at('2026-12-07T10:00:00'),
    });
    expect(c.recipients.map((x) => x.id)).toEqual(['person.zhou.sms']);
    const only = peopleForStep({
      view: v,
      target: 'enterprise',
      roles: ['enterprise-safety-manager'],
      enterprise,
      level: 2,
      nowMs: at('2026-12-07T10:00:00'),
    });
    expect(only.recipients.map((x) => x.id)).toEqual(['person.boss.sms']);
  });

  it('follow-ups reach the people notified before, re-checked against the registry now', () => {
    const notified = ['sub-e1', 'person.wang.sms', 'person.wang.voice', 'person.gone.sms', 'person.li.sms'];
    const r = followUpPeople(notified, v, enterprise, 2, at('2026-12-07T23:00:00'));
    // voice carries level 1 only; li is in quiet hours; gone is no longer in the registry.
    expect(r.map((x) => x.id)).toEqual(['person.wang.sms']);
    expect(parsePersonRecipientId('person.a.b.sms')).toEqual({ personId: 'a.b', channelId: 'sms' });
    expect(parsePersonRecipientId('sub-e1')).toBeUndefined();
  });
});
