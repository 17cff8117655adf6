import type { DutyRoster, Shift } from '@yujing/schemas';
import { clockMinutes, shanghaiTime } from './shanghai-clock';

/**
 * Who is on duty at an instant (值班): pure, no clock of its own. A shift on weekday D from
 * start to end covers [start, end) of D; when end ≤ start it runs past midnight and its tail
 * belongs to D + 1. A one-off override covering the instant replaces the regular shifts.
 */

const previousDay = (isoWeekday: number) => ((isoWeekday + 5) % 7) + 1;

/** True when the shift covers the instant. */
export function shiftCovers(shift: Pick<Shift, 'days' | 'start' | 'end'>, epochMs: number): boolean {
  const { isoWeekday, minuteOfDay } = shanghaiTime(epochMs);
  const start = clockMinutes(shift.start);
  const end = clockMinutes(shift.end);
  if (end > start) return shift.days.includes(isoWeekday) && minuteOfDay >= start && minuteOfDay < end;
  // Overnight (or a full 24 h when end = start): the evening part on D, the morning part on D + 1.
  if (shift.days.includes(isoWeekday) && minuteOfDay >= start) return true;
  return shift.days.includes(previousDay(isoWeekday)) && minuteOfDay < end;
}

/** Person ids on duty in the roster at the instant, in roster order, without repeats. */
export function onDuty(roster: Pick<DutyRoster, 'shifts' | 'overrides'>, epochMs: number): string[] {
  const overriding = roster.overrides.filter(
    (o) => Date.parse(o.from) <= epochMs && epochMs < Date.parse(o.to),
  );
  const ids =
    overriding.length > 0
      ? overriding.map((o) => o.personId)
      : roster.shifts.filter((s) => shiftCovers(s, epochMs)).map((s) => s.personId);
  return [...new Set(ids)];
}
