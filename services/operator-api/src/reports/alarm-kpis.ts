import type { AlarmTransitionEvent, EscalationPolicy } from '@yujing/schemas';

/** ISA-18.2 numbers used below. */
export const WINDOW_MS = 600_000; // alarms per 10 minutes
export const FLOOD_THRESHOLD = 10; // > 10 new alarms per 10 min per operator position = flood
export const CHATTER_COUNT = 3; // ≥ 3 raises of the same point and rule …
export const CHATTER_WINDOW_MS = 60_000; // … within 60 s = chattering
export const STALE_MS = 24 * 3_600_000; // active for more than 24 h = stale

export interface KpiBlock {
  raised: number;
  /** Average new alarms per 10-minute window over the period. */
  per10Min: number;
  /** Highest count in one 10-minute window at one operator position (enterprise). */
  peak10Min: number;
  /** 10-minute windows in flood (> 10 new alarms at one position). */
  floodWindows: { position: string; windowStart: number; count: number }[];
  /** Point+rule pairs that chattered (≥ 3 raises in 60 s, or a chatter transition). */
  chattering: { enterpriseId: string; point: string; rule: string; raises: number }[];
  /** Alarms still active after more than 24 h. */
  stale: { alarmId: string; activeSinceMs: number }[];
  /** Time from raise to acknowledgement of alarms raised in the period. */
  ack: { count: number; unacked: number; meanMs: number | null; p50Ms: number | null; p90Ms: number | null };
  /** Closed-loop steps past their policy deadline (done late or still open). */
  overdue: { verify: number; dispose: number; feedback: number; close: number };
}

export interface KpiInput {
  /** Every transition in [from, to). */
  events: readonly AlarmTransitionEvent[];
  /** Alarms currently active (from LATEST ON), for staleness. */
  active: readonly AlarmTransitionEvent[];
  from: number;
  to: number;
  /** The closed-loop deadlines of an alarm, from its enterprise's class and level. */
  closedLoopOf: (a: AlarmTransitionEvent) => EscalationPolicy['closedLoop'] | undefined;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null);

/** Alarm-system KPIs for one set of events (call once per region or enterprise). Pure. */
export function alarmKpis(input: KpiInput): KpiBlock {
  const raises = input.events.filter((e) => e.transition === 'raise');
  const windows = new Map<string, { position: string; windowStart: number; count: number }>();
  for (const r of raises) {
    const windowStart = input.from + Math.floor((r.emittedAt - input.from) / WINDOW_MS) * WINDOW_MS;
    const k = `${r.enterpriseId}@${windowStart}`;
    const w = windows.get(k) ?? { position: r.enterpriseId, windowStart, count: 0 };
    w.count += 1;
    windows.set(k, w);
  }
  const windowCount = Math.max(1, Math.ceil((input.to - input.from) / WINDOW_MS));

  const byPointRule = new Map<string, AlarmTransitionEvent[]>();
  for (const e of input.events) {
    if (e.transition !== 'raise' && e.transition !== 'chatter') continue;
    const k = `${e.enterpriseId}\u0000${e.point}\u0000${e.rule}`;
    byPointRule.set(k, [...(byPointRule.get(k) ?? []), e]);
  }
  const chattering: KpiBlock['chattering'] = [];
  for (const list of byPointRule.values()) {
    const first = list[0] as AlarmTransitionEvent;
    const times = list
      .filter((e) => e.transition === 'raise')
      .map((e) => e.emittedAt)
      .sort((a, b) => a - b);
    let burst = list.some((e) => e.transition === 'chatter');
    for (let i = 0; !burst && i + CHATTER_COUNT - 1 < times.length; i++) {
      burst = (times[i + CHATTER_COUNT - 1] as number) - (times[i] as number) <= CHATTER_WINDOW_MS;
    }
    if (burst)
      chattering.push({
        enterpriseId: first.enterpriseId,
        point: first.point,
        rule: first.rule,
        raises: times.length,
      });
  }

  const ackDelays: number[] = [];
  let unacked = 0;
  const overdue = { verify: 0, dispose: 0, feedback: 0, close: 0 };
  const byAlarm = new Map<string, AlarmTransitionEvent[]>();
  for (const e of input.events) byAlarm.set(e.alarmId, [...(byAlarm.get(e.alarmId) ?? []), e]);
  for (const r of raises) {
    const list = byAlarm.get(r.alarmId) ?? [];
    const ack = list.find((e) => e.transition === 'ack');
    if (ack) ackDelays.push(Math.max(0, ack.emittedAt - r.emittedAt));
    else unacked += 1;
    const loop = input.closedLoopOf(r);
    if (loop) {
      for (const [step, within] of [
        ['verify', loop.verifyWithinMs],
        ['dispose', loop.disposeWithinMs],
        ['feedback', loop.feedbackWithinMs ?? loop.closeWithinMs],
        ['close', loop.closeWithinMs],
      ] as const) {
        const due = r.episodeStart + within;
        const done = list.find((e) => e.transition === step)?.emittedAt;
        if (done === undefined ? input.to > due : done > due) overdue[step] += 1;
      }
    }
  }
  ackDelays.sort((a, b) => a - b);

  const floodWindows = [...windows.values()]
    .filter((w) => w.count > FLOOD_THRESHOLD)
    .sort((a, b) => a.windowStart - b.windowStart);
  return {
    raised: raises.length,
    per10Min: raises.length / windowCount,
    peak10Min: Math.max(0, ...[...windows.values()].map((w) => w.count)),
    floodWindows,
    chattering,
    stale: input.active
      .filter(
        (a) =>
          (a.state === 'active-unack' || a.state === 'active-ack') && input.to - a.episodeStart > STALE_MS,
      )
      .map((a) => ({ alarmId: a.alarmId, activeSinceMs: input.to - a.episodeStart })),
    ack: {
      count: ackDelays.length,
      unacked,
      meanMs: ackDelays.length === 0 ? null : ackDelays.reduce((s, d) => s + d, 0) / ackDelays.length,
      p50Ms: quantile(ackDelays, 0.5),
      p90Ms: quantile(ackDelays, 0.9),
    },
    overdue,
  };
}
