import type { Enterprise, HazardRecord, Industry } from '@yujing/schemas';
import { isOverdue, OPEN_STATES } from './hazard-lifecycle';

/** One row of the 动态清零 report: a region (province, city or county) × industry. */
export interface ClearanceRow {
  level: 'province' | 'city' | 'county';
  code: string;
  industry: Industry;
  /** Confirmed and not yet verified closed at `to`. */
  open: number;
  /** Of the open ones, past the 整改期限 without a reported rectification. */
  overdue: number;
  /** Reported, not yet confirmed or rejected (public reports pass moderation first). */
  unconfirmed: number;
  /** Verified closed inside [from, to). */
  closedInPeriod: number;
  /** Median confirmed → closed (ms) of those closed in the period; null when none. */
  medianTimeToClearMs: number | null;
}

export interface ClearanceMonth {
  /** YYYY-MM in Asia/Shanghai. */
  month: string;
  confirmed: number;
  closed: number;
  /** Open at the end of the month (or at `to` for the current one). */
  openAtEnd: number;
}

export interface ClearanceReport {
  rows: ClearanceRow[];
  trend: ClearanceMonth[];
  /** True when no confirmed major hazard is open (动态清零 reached) in the caller's scope. */
  cleared: boolean;
}

const CST_MS = 8 * 3_600_000;
const monthOf = (ts: number) => new Date(ts + CST_MS).toISOString().slice(0, 7);
/** Start of the next Asia/Shanghai month after the one holding ts. */
function nextMonthStart(ts: number): number {
  const d = new Date(ts + CST_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - CST_MS;
}

/** Open at instant t: confirmed at or before t, not closed by t. */
const openAt = (h: HazardRecord, t: number) =>
  h.confirmedAt !== undefined && h.confirmedAt <= t && (h.closedAt === undefined || h.closedAt > t);

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** 动态清零: open major hazards per region and industry, overdue ones, time to clear and the monthly trend. Pure. */
export function clearanceReport(
  hazards: readonly HazardRecord[],
  enterprises: readonly Enterprise[],
  from: number,
  to: number,
  now: number,
): ClearanceReport {
  const byId = new Map(enterprises.map((e) => [e.id, e]));
  const groups = new Map<
    string,
    { level: ClearanceRow['level']; code: string; industry: Industry; hs: HazardRecord[] }
  >();
  for (const h of hazards) {
    const e = byId.get(h.enterpriseId);
    if (!e) continue;
    for (const industry of e.industries)
      for (const [level, code] of [
        ['province', e.region.province],
        ['city', e.region.city],
        ['county', e.region.county],
      ] as const) {
        const k = `${level}:${code}:${industry}`;
        const g = groups.get(k) ?? { level, code, industry, hs: [] };
        g.hs.push(h);
        groups.set(k, g);
      }
  }
  const at = Math.min(to, now);
  const order = { province: 0, city: 1, county: 2 };
  const rows = [...groups.values()]
    .sort(
      (a, b) =>
        order[a.level] - order[b.level] ||
        a.code.localeCompare(b.code) ||
        a.industry.localeCompare(b.industry),
    )
    .map(({ level, code, industry, hs }) => {
      const closed = hs.filter((h) => h.closedAt !== undefined && h.closedAt >= from && h.closedAt < to);
      return {
        level,
        code,
        industry,
        open: hs.filter((h) => openAt(h, at)).length,
        overdue: hs.filter((h) => OPEN_STATES.has(h.state) && isOverdue(h, at)).length,
        unconfirmed: hs.filter((h) => h.state === 'reported').length,
        closedInPeriod: closed.length,
        medianTimeToClearMs: median(
          closed.map((h) => (h.closedAt as number) - (h.confirmedAt ?? h.reportedAt)),
        ),
      };
    });
  const trend: ClearanceMonth[] = [];
  for (let start = from; start < to; ) {
    const end = Math.min(nextMonthStart(start), to);
    const inMonth = (ts: number | undefined) => ts !== undefined && ts >= start && ts < end;
    const scoped = hazards.filter((h) => byId.has(h.enterpriseId));
    trend.push({
      month: monthOf(start),
      confirmed: scoped.filter((h) => inMonth(h.confirmedAt)).length,
      closed: scoped.filter((h) => inMonth(h.closedAt)).length,
      openAtEnd: scoped.filter((h) => openAt(h, Math.min(end, now) - 1)).length,
    });
    start = end;
  }
  const cleared = !hazards.some((h) => byId.has(h.enterpriseId) && openAt(h, at));
  return { rows, trend, cleared };
}
