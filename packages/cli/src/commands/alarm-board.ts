import type { AlarmTransitionEvent } from '@yujing/schemas';

/** What `yujing watch` shows about a delivery (from the regulator simulator's record file). */
export interface WatchedDelivery {
  receivedAt: number;
  subscriptionId: string | null;
  event: string | null;
  deliveryId: string | null;
  outcome: string;
  alarmId?: string;
  level?: number;
  point?: string;
  enterpriseId?: string;
}

const LEVEL_NAME = ['', '一级/红', '二级/橙', '三级/黄', '四级/蓝'];
const LEVEL_COLOUR = ['', '\x1b[1;31m', '\x1b[1;38;5;208m', '\x1b[1;33m', '\x1b[1;34m'];
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const ACTIVE = new Set(['active-unack', 'active-ack', 'rtn-unack', 'shelved', 'suppressed']);

const VERB: Record<string, string> = {
  raise: 'RAISED',
  escalate: 'ESCALATED',
  deescalate: 'DE-ESCALATED',
  ack: 'ACKED',
  rtn: 'RETURNED',
  clear: 'CLEARED',
  shelve: 'SHELVED',
  unshelve: 'UNSHELVED',
  'shelve-expired': 'SHELF-EXPIRED',
  verify: 'VERIFIED',
  dispose: 'DISPOSED',
  close: 'CLOSED',
};

/**
 * The state behind `yujing watch`: the latest transition of every alarm that is not back to
 * normal, and the lines to print. Pure: no terminal, no clock (times come from the events).
 */
export class AlarmBoard {
  readonly #alarms = new Map<string, AlarmTransitionEvent>();

  constructor(private readonly colour: boolean) {}

  get activeCount(): number {
    return this.#alarms.size;
  }

  /** Replaces the board with a snapshot (start-up, or after the server asked us to reload). */
  load(snapshot: readonly AlarmTransitionEvent[]): void {
    this.#alarms.clear();
    for (const e of snapshot) if (ACTIVE.has(e.state)) this.#alarms.set(e.alarmId, e);
  }

  /** Applies one transition and returns its line. Older transitions of an alarm are ignored. */
  apply(e: AlarmTransitionEvent): string | undefined {
    const known = this.#alarms.get(e.alarmId);
    if (known && known.seq >= e.seq) return undefined;
    if (ACTIVE.has(e.state) && e.loop !== 'closed') this.#alarms.set(e.alarmId, e);
    else this.#alarms.delete(e.alarmId);
    const verb = (VERB[e.transition] ?? e.transition.toUpperCase()).padEnd(13);
    const value =
      e.value === null ? '' : ` value ${num(e.value)}${e.limit === null ? '' : ` (limit ${num(e.limit)})`}`;
    const who = e.actor ? ` by ${e.actor.name ?? e.actor.id}` : '';
    return `${time(e.emittedAt)} ${verb} ${this.#level(e.level)} ${e.enterpriseId}:${e.point} ${e.rule} ${e.kind}${value} [${e.state}]${who}`;
  }

  deliveryLine(d: WatchedDelivery): string {
    const level = d.level === undefined ? '' : ` ${this.#level(d.level)}`;
    const tag = d.outcome === 'accepted' ? 'DELIVERED' : d.outcome.toUpperCase();
    const text = `${time(d.receivedAt)} ${tag.padEnd(13)}${level} ${d.event ?? ''} → ${d.subscriptionId ?? '?'} ${d.enterpriseId ?? ''}:${d.point ?? ''} delivery=${d.deliveryId ?? '-'}`;
    return this.colour ? `${DIM}${text}${RESET}` : text;
  }

  /** A compact table: counts per level, then the most severe, most recent alarms. */
  table(maxRows = 8): string[] {
    const rows = [...this.#alarms.values()].sort((a, b) => a.level - b.level || b.emittedAt - a.emittedAt);
    const counts = [1, 2, 3, 4]
      .map((l) => `${this.#level(l)}×${rows.filter((r) => r.level === l).length}`)
      .join('  ');
    const out = [`── active alarms: ${rows.length}   ${counts}`];
    for (const r of rows.slice(0, maxRows))
      out.push(
        `   ${this.#level(r.level)} ${r.enterpriseId}:${r.point} ${r.rule} ${r.state} since ${time(r.episodeStart)}`,
      );
    if (rows.length > maxRows) out.push(`   … ${rows.length - maxRows} more`);
    return out;
  }

  #level(level: number): string {
    const text = `L${level} ${LEVEL_NAME[level] ?? ''}`;
    return this.colour ? `${LEVEL_COLOUR[level] ?? ''}${text}${RESET}` : text;
  }
}

/** At most 3 decimals: rates and means arrive as raw doubles (83.70000000000002). */
function num(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** HH:MM:SS in China Standard Time (the operators' clock). */
function time(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(11, 19);
}
