import type { AlarmEvent, ClosedLoopPolicy, EnterpriseSummary, Level } from './alarm-types';

/**
 * The live board's state: the latest transition of every alarm, merged from the list API and the
 * stream by `seq` (a transition older than or equal to what the board holds is ignored, so a
 * replayed or re-listed event can neither duplicate a row nor move it backwards). No DOM, no I/O.
 */
export class BoardModel {
  readonly #byId = new Map<string, AlarmEvent>();
  /** Increases on every change, so views know when to recompute. */
  version = 0;

  /** 'new' when the alarm was not on the board, 'updated', or 'stale' when ignored. */
  apply(e: AlarmEvent): 'new' | 'updated' | 'stale' {
    const had = this.#byId.get(e.alarmId);
    if (had && had.seq >= e.seq) return 'stale';
    this.#byId.set(e.alarmId, e);
    this.version += 1;
    return had ? 'updated' : 'new';
  }

  /** Merges a listing (after sign-in, or when the stream says reload). */
  load(items: readonly AlarmEvent[]): void {
    for (const e of items) this.apply(e);
  }

  get(alarmId: string): AlarmEvent | undefined {
    return this.#byId.get(alarmId);
  }

  get size(): number {
    return this.#byId.size;
  }

  all(): AlarmEvent[] {
    return [...this.#byId.values()];
  }
}

/** An alarm stays on the board until it has returned to normal and its closed loop is closed (销号). */
export function isOnBoard(a: AlarmEvent): boolean {
  return !(a.state === 'normal' && a.loop === 'closed');
}

export interface BoardFilter {
  /** City or county code (6 digits); '' = all. */
  region: string;
  industry: string;
  levels: ReadonlySet<Level>;
  state: string;
}

export type BoardSort = 'raised-desc' | 'raised-asc' | 'level' | 'enterprise' | 'updated-desc';

export const EMPTY_FILTER: BoardFilter = { region: '', industry: '', levels: new Set(), state: '' };

function regionOf(a: AlarmEvent, e: EnterpriseSummary | undefined): { city?: string; county?: string } {
  return a.region ?? (e ? { city: e.region.city, county: e.region.county } : {});
}

/** Rows of the board after the filter (the level filter is applied last so counts can skip it). */
export function filterAlarms(
  alarms: readonly AlarmEvent[],
  filter: BoardFilter,
  enterprises: ReadonlyMap<string, EnterpriseSummary>,
  opts: { ignoreLevel?: boolean } = {},
): AlarmEvent[] {
  return alarms.filter((a) => {
    if (!isOnBoard(a)) return false;
    const e = enterprises.get(a.enterpriseId);
    if (filter.region) {
      const r = regionOf(a, e);
      if (r.city !== filter.region && r.county !== filter.region) return false;
    }
    if (filter.industry && !(e?.industries ?? []).includes(filter.industry)) return false;
    if (filter.state && a.state !== filter.state) return false;
    if (!opts.ignoreLevel && filter.levels.size > 0 && !filter.levels.has(a.level)) return false;
    return true;
  });
}

export function sortAlarms(
  rows: AlarmEvent[],
  sort: BoardSort,
  enterprises: ReadonlyMap<string, EnterpriseSummary>,
): AlarmEvent[] {
  const byRaised = (a: AlarmEvent, b: AlarmEvent) => b.episodeStart - a.episodeStart;
  const cmp: Record<BoardSort, (a: AlarmEvent, b: AlarmEvent) => number> = {
    'raised-desc': (a, b) => byRaised(a, b) || a.alarmId.localeCompare(b.alarmId),
    'raised-asc': (a, b) => -byRaised(a, b) || a.alarmId.localeCompare(b.alarmId),
    level: (a, b) => a.level - b.level || byRaised(a, b) || a.alarmId.localeCompare(b.alarmId),
    enterprise: (a, b) =>
      (enterprises.get(a.enterpriseId)?.name ?? a.enterpriseId).localeCompare(
        enterprises.get(b.enterpriseId)?.name ?? b.enterpriseId,
        'zh-CN',
      ) ||
      a.point.localeCompare(b.point) ||
      byRaised(a, b),
    'updated-desc': (a, b) => b.emittedAt - a.emittedAt || a.alarmId.localeCompare(b.alarmId),
  };
  return rows.sort(cmp[sort]);
}

export function levelCounts(rows: readonly AlarmEvent[]): Record<Level, number> {
  const out: Record<Level, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const a of rows) out[a.level] += 1;
  return out;
}

/** The closed-loop step an alarm waits for, from its loop state (核实 → 处置 → 反馈 → 销号). */
export function nextLoopStep(loop: string): string | undefined {
  return (
    { open: 'verify', verified: 'dispose', disposed: 'feedback', 'fed-back': 'close' } as Record<
      string,
      string
    >
  )[loop];
}

/**
 * The next step and its deadline: as the worker stated it on the transition (`loopDue`), or else
 * from the escalation policy of the enterprise's class and the alarm's level (dueAt = raise +
 * the step's allowance, as operator-api's /alarms/:id deadlines compute it).
 */
export function loopDeadline(
  a: AlarmEvent,
  enterprise: EnterpriseSummary | undefined,
  policies: readonly ClosedLoopPolicy[],
): { step: string; dueAt: number | undefined } | undefined {
  if (a.loopDue) return a.loopDue;
  const step = nextLoopStep(a.loop);
  if (!step) return undefined;
  const policy = enterprise
    ? policies.find(
        (p) => p.classification.includes(enterprise.classification.code) && p.levels.includes(a.level),
      )
    : undefined;
  const loop = policy?.closedLoop;
  const within = loop
    ? (
        {
          verify: loop.verifyWithinMs,
          dispose: loop.disposeWithinMs,
          feedback: loop.feedbackWithinMs ?? loop.closeWithinMs,
          close: loop.closeWithinMs,
        } as Record<string, number>
      )[step]
    : undefined;
  return { step, dueAt: within === undefined ? undefined : a.episodeStart + within };
}
