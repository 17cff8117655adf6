/**
 * Timestamps as Shanxi gateways send them: ISO-8601 in China Standard Time (+08:00), or epoch ms
 * (both are valid native v1, DESIGN §3). China has no daylight saving, so the offset is fixed.
 */
export type TimestampFormat = 'iso' | 'epoch';

const CST_OFFSET_MS = 8 * 3_600_000;

export function isoCst(ms: number): string {
  return `${new Date(ms + CST_OFFSET_MS).toISOString().slice(0, -1)}+08:00`;
}

export function wireTime(ms: number, format: TimestampFormat): string | number {
  return format === 'iso' ? isoCst(ms) : ms;
}
