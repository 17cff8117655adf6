import type { Enterprise, Gateway } from '@yujing/schemas';
import { type ConnectionDeadline, connectionDeadlineOf } from './connection-deadline';

/** One bucket in which a gateway sent at least one reading (any transport: MQTT, HTTP, Kafka). */
export interface ActivityBucket {
  ts: number;
  enterpriseId: string;
  gatewayId: string;
}

export type RolloutStatus = 'on-time' | 'late' | 'overdue' | 'not-yet-due' | 'connected-early';

export interface RolloutEnterprise {
  enterpriseId: string;
  name: string;
  county: string;
  deadline: string;
  rule: ConnectionDeadline['rule'];
  /** The registry's connectionRequiredBy, when it disagrees with the derived deadline. */
  registryDeadlineMismatch: string | null;
  /** First reading ever (epoch ms), null when none by `to`. */
  connectedAt: number | null;
  /** on-time / late: connected before / after the deadline; overdue: past it, not connected. */
  status: RolloutStatus;
  /** Share of the period's buckets with data, over its gateways (在线率 from data silence). */
  onlineRate: number | null;
  /** No data in the period's last bucket. */
  offlineNow: boolean;
}

export interface RolloutMonth {
  /** YYYY-MM, Asia/Shanghai. */
  month: string;
  /** Enterprises whose deadline passed before the month's end. */
  required: number;
  /** Of those, connected by the month's end. */
  connected: number;
  accessRate: number | null;
  onlineRate: number | null;
}

export interface RolloutReport {
  enterprises: RolloutEnterprise[];
  months: RolloutMonth[];
  /** Late or not connected past the deadline, or offline now: the list to chase. */
  attention: string[];
}

export interface RolloutInput {
  enterprises: readonly Enterprise[];
  gateways: readonly Gateway[];
  firstSeen: ReadonlyMap<string, number>;
  activity: readonly ActivityBucket[];
  from: number;
  to: number;
  bucketMs: number;
}

const CST_MS = 8 * 3_600_000;
const monthOf = (ts: number) => new Date(ts + CST_MS).toISOString().slice(0, 7);
function nextMonthStart(ts: number): number {
  const d = new Date(ts + CST_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - CST_MS;
}

/**
 * 接入率 against the derived deadlines and 在线率 from data silence, per enterprise and by month.
 * An enterprise is required once its deadline day (Asia/Shanghai) is over. Pure.
 */
export function rolloutReport(input: RolloutInput): RolloutReport {
  const { from, to, bucketMs } = input;
  const gatewaysOf = new Map<string, number>();
  for (const g of input.gateways) gatewaysOf.set(g.enterpriseId, (gatewaysOf.get(g.enterpriseId) ?? 0) + 1);
  const active = new Map<string, number[]>();
  for (const b of input.activity) {
    const list = active.get(b.enterpriseId) ?? [];
    list.push(b.ts);
    active.set(b.enterpriseId, list);
  }
  const buckets = (a: number, b: number) => Math.max(0, Math.ceil((b - a) / bucketMs));
  const onlineIn = (id: string, a: number, b: number): number | null => {
    const gws = gatewaysOf.get(id) ?? 0;
    const n = buckets(a, b);
    if (gws === 0 || n === 0) return null;
    const hits = (active.get(id) ?? []).filter((ts) => ts >= a && ts < b).length;
    return Math.min(1, hits / (gws * n));
  };
  const lastBucket = from + Math.max(0, buckets(from, to) - 1) * bucketMs;
  const enterprises = input.enterprises.map((e): RolloutEnterprise => {
    const d = connectionDeadlineOf(e);
    const connectedAt = input.firstSeen.get(e.id) ?? null;
    const due = to >= d.endsAt;
    const status: RolloutStatus =
      connectedAt !== null
        ? connectedAt < d.endsAt
          ? due
            ? 'on-time'
            : 'connected-early'
          : 'late'
        : due
          ? 'overdue'
          : 'not-yet-due';
    return {
      enterpriseId: e.id,
      name: e.name,
      county: e.region.county,
      deadline: d.deadline,
      rule: d.rule,
      registryDeadlineMismatch: e.connectionRequiredBy === d.deadline ? null : e.connectionRequiredBy,
      connectedAt,
      status,
      onlineRate: onlineIn(e.id, from, to),
      offlineNow: connectedAt !== null && !(active.get(e.id) ?? []).some((ts) => ts >= lastBucket),
    };
  });
  const months: RolloutMonth[] = [];
  for (let start = from; start < to; ) {
    const end = Math.min(nextMonthStart(start), to);
    const required = input.enterprises.filter((e) => end >= connectionDeadlineOf(e).endsAt);
    const connected = required.filter((e) => (input.firstSeen.get(e.id) ?? Infinity) < end).length;
    const rates = required.map((e) => onlineIn(e.id, start, end)).filter((r): r is number => r !== null);
    months.push({
      month: monthOf(start),
      required: required.length,
      connected,
      accessRate: required.length === 0 ? null : connected / required.length,
      onlineRate: rates.length === 0 ? null : rates.reduce((s, r) => s + r, 0) / rates.length,
    });
    start = end;
  }
  const attention = enterprises
    .filter((e) => e.status === 'late' || e.status === 'overdue' || e.offlineNow)
    .map((e) => e.enterpriseId);
  return { enterprises, months, attention };
}

const STATUS_ZH: Record<RolloutStatus, string> = {
  'on-time': '按期接入',
  late: '逾期接入',
  overdue: '逾期未接入',
  'not-yet-due': '未到期未接入',
  'connected-early': '提前接入',
};

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const cstTime = (ts: number) => new Date(ts + CST_MS).toISOString().slice(0, 19).replace('T', ' ');

/** The per-enterprise list as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese). */
export function rolloutCsv(report: RolloutReport): string {
  const header = [
    '企业编码',
    '企业名称',
    '区县',
    '接入期限',
    '首次接入(北京时间)',
    '接入状态',
    '在线率',
    '当前离线',
    '登记期限不符',
  ];
  const rows = report.enterprises.map((e) =>
    [
      e.enterpriseId,
      e.name,
      e.county,
      e.deadline,
      e.connectedAt === null ? '' : cstTime(e.connectedAt),
      STATUS_ZH[e.status],
      e.onlineRate === null ? '' : `${(e.onlineRate * 100).toFixed(1)}%`,
      e.offlineNow ? '是' : '否',
      e.registryDeadlineMismatch ?? '',
    ].map(cell),
  );
  return `\uFEFF${[header, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
