/**
 * Wall-clock time in Asia/Shanghai from an epoch instant. Mainland China keeps UTC+8 all year
 * (no daylight saving since 1991), so a fixed offset is exact and needs no time-zone database.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export interface ShanghaiTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** Minutes since local midnight, 0…1439. */
  minuteOfDay: number;
}

export function shanghaiTime(epochMs: number): ShanghaiTime {
  const local = new Date(epochMs + SHANGHAI_OFFSET_MS);
  const day = local.getUTCDay(); // 0 = Sunday
  return {
    isoWeekday: day === 0 ? 7 : day,
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/** "HH:MM" → minutes since midnight. */
export function clockMinutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** "2026-12-04 09:30:05" in Asia/Shanghai, the form people-facing texts show. */
export function formatShanghai(epochMs: number): string {
  return new Date(epochMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
