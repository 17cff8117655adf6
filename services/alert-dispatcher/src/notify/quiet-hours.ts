import type { AlarmLevel, QuietHours } from '@yujing/schemas';
import { clockMinutes, shanghaiTime } from './shanghai-clock';

/**
 * Quiet hours of a person (免打扰): notices of alarms of the listed levels are not sent to them
 * while the quiet hours last (the step pages the others on duty; a later step paging their role
 * reaches them once the hours are over). Level 1 is always delivered — the schema refuses quiet hours listing
 * it, and this check never holds it back either.
 */
export function inQuietHours(quiet: readonly QuietHours[], level: AlarmLevel, epochMs: number): boolean {
  if (level === 1) return false;
  const { minuteOfDay } = shanghaiTime(epochMs);
  return quiet.some((q) => {
    if (!q.levels.includes(level)) return false;
    const start = clockMinutes(q.start);
    const end = clockMinutes(q.end);
    return end > start
      ? minuteOfDay >= start && minuteOfDay < end
      : minuteOfDay >= start || minuteOfDay < end;
  });
}
