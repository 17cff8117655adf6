import {
  type AlarmEventRow,
  alarmTimeline,
  deliveryHistory,
  type QuestDbQuery,
  readingSeries,
  rowLimit,
  type TableNames,
  timeRange,
} from '@yujing/questdb';
import type { AlarmTransitionEvent, DeliveryRecord } from '@yujing/schemas';
import type {
  AlarmQuery,
  GatewayStatusRow,
  HistoryStore,
  PointLastSeen,
  ReadingBucket,
} from '../collaborators';
import { alarmFromRow } from './alarm-row';

const ALARM_COLUMNS = `alarm_id AS "alarmId", enterprise AS "enterpriseId", point, rule, kind, level, state, loop,
  transition, value, "limit", event_time AS "eventTime", ts AS "emittedAt", episode_start AS "episodeStart",
  actor, comment, seq`;

const iso = (ms: number) => new Date(ms).toISOString();
const STEP_TEXT: Record<number, string> = {
  1000: '1s',
  10000: '10s',
  60000: '1m',
  300000: '5m',
  600000: '10m',
  3600000: '1h',
  86400000: '1d',
};

/** Appends `col IN ($n, …)` for a list; values are always bound, never inlined. */
function inList(
  where: string[],
  params: unknown[],
  column: string,
  values: readonly unknown[] | undefined,
): void {
  if (values === undefined) return;
  const marks = values.map((v) => {
    params.push(v);
    return `$${params.length}`;
  });
  where.push(marks.length === 0 ? 'false' : `${column} IN (${marks.join(', ')})`);
}

const toAlarms = (rows: AlarmEventRow[]) =>
  rows.map(alarmFromRow).filter((a): a is AlarmTransitionEvent => a !== undefined);

/**
 * The API's reads of QuestDB. Uses @yujing/questdb helpers where they fit (timeline, deliveries,
 * readings) and its own parameterised queries for the multi-value filters and status lookups.
 */
export class QuestDbHistoryStore implements HistoryStore {
  constructor(
    private readonly q: QuestDbQuery,
    private readonly tables: TableNames,
  ) {}

  async currentAlarms(f: AlarmQuery): Promise<AlarmTransitionEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    inList(where, params, '"enterpriseId"', f.enterpriseIds);
    inList(where, params, 'state', f.states);
    inList(where, params, 'level', f.levels);
    inList(where, params, 'kind', f.kinds);
    inList(where, params, 'loop', f.loops);
    if (f.from !== undefined) {
      params.push(iso(f.from));
      where.push(`"emittedAt" >= $${params.length}`);
    }
    if (f.to !== undefined) {
      params.push(iso(f.to));
      where.push(`"emittedAt" < $${params.length}`);
    }
    const rows = await this.q.query<AlarmEventRow & Record<string, unknown>>(
      `SELECT * FROM (SELECT ${ALARM_COLUMNS} FROM ${this.tables.alarm_events} LATEST ON ts PARTITION BY alarm_id)
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY "emittedAt" DESC LIMIT ${rowLimit(f.limit)}`,
      params,
    );
    return toAlarms(rows);
  }

  async alarm(alarmId: string): Promise<AlarmTransitionEvent | undefined> {
    const rows = await this.q.query<AlarmEventRow & Record<string, unknown>>(
      `SELECT ${ALARM_COLUMNS} FROM ${this.tables.alarm_events} WHERE alarm_id = $1 ORDER BY seq DESC, ts DESC LIMIT 1`,
      [alarmId],
    );
    return toAlarms(rows)[0];
  }

  async alarmTimeline(alarmId: string): Promise<AlarmTransitionEvent[]> {
    return toAlarms(await alarmTimeline(this.q, this.tables, alarmId));
  }

  async alarmDeliveries(alarmId: string): Promise<DeliveryRecord[]> {
    const rows = await deliveryHistory(this.q, this.tables, { alarmId });
    return rows.map((r) => ({
      deliveryId: r.deliveryId,
      alarmId: r.alarmId,
      enterpriseId: r.enterpriseId,
      subscriptionId: r.subscriptionId,
      event: r.event as DeliveryRecord['event'],
      target: r.target,
      attempt: Number(r.attempt),
      status: r.status as DeliveryRecord['status'],
      httpStatus: r.httpStatus === null ? null : Number(r.httpStatus),
      latencyMs: Number(r.latencyMs),
      ...(r.error ? { error: r.error } : {}),
      at: r.at,
    }));
  }

  async alarmEvents(
    from: number,
    to: number,
    enterpriseIds?: readonly string[],
  ): Promise<AlarmTransitionEvent[]> {
    const { from: f, to: t } = timeRange(from, to);
    const params: unknown[] = [f, t];
    const where = ['ts >= $1', 'ts < $2'];
    inList(where, params, 'enterprise', enterpriseIds);
    const rows = await this.q.query<AlarmEventRow & Record<string, unknown>>(
      `SELECT ${ALARM_COLUMNS} FROM ${this.tables.alarm_events} WHERE ${where.join(' AND ')} ORDER BY ts LIMIT 100000`,
      params,
    );
    return toAlarms(rows);
  }

  async readings(
    enterpriseId: string,
    point: string,
    from: number,
    to: number,
    stepMs: number,
  ): Promise<ReadingBucket[]> {
    const step = STEP_TEXT[stepMs] ?? `${Math.max(1, Math.round(stepMs / 1000))}s`;
    const rows = await readingSeries(this.q, this.tables, {
      enterprise: enterpriseId,
      point,
      fromMs: from,
      toMs: to,
      step,
    });
    return rows.map((r) => ({ ts: r.ts, avg: r.avg, min: r.min, max: r.max, count: Number(r.count) }));
  }

  async gatewayStatusAt(at: number, enterpriseIds?: readonly string[]): Promise<GatewayStatusRow[]> {
    const params: unknown[] = [iso(at)];
    const where = ['ts <= $1', "event IN ('online', 'offline')"];
    inList(where, params, 'enterprise', enterpriseIds);
    const rows = await this.q.query<{ ts: number; enterprise: string; gateway: string; online: boolean }>(
      `SELECT ts, enterprise, gateway, online FROM ${this.tables.gateway_status} WHERE ${where.join(' AND ')}
       LATEST ON ts PARTITION BY enterprise, gateway`,
      params,
    );
    return rows.map((r) => ({
      ts: r.ts,
      enterpriseId: r.enterprise,
      gatewayId: r.gateway,
      online: r.online,
    }));
  }

  async gatewayStatusBetween(
    from: number,
    to: number,
    enterpriseIds?: readonly string[],
  ): Promise<GatewayStatusRow[]> {
    const params: unknown[] = [iso(from), iso(to)];
    const where = ['ts > $1', 'ts <= $2', "event IN ('online', 'offline')"];
    inList(where, params, 'enterprise', enterpriseIds);
    const rows = await this.q.query<{ ts: number; enterprise: string; gateway: string; online: boolean }>(
      `SELECT ts, enterprise, gateway, online FROM ${this.tables.gateway_status} WHERE ${where.join(' AND ')} ORDER BY ts LIMIT 100000`,
      params,
    );
    return rows.map((r) => ({
      ts: r.ts,
      enterpriseId: r.enterprise,
      gatewayId: r.gateway,
      online: r.online,
    }));
  }

  async readingActivity(
    from: number,
    to: number,
    bucketMs: 600_000 | 3_600_000,
    enterpriseIds: readonly string[],
  ): Promise<{ ts: number; enterpriseId: string; gatewayId: string }[]> {
    if (enterpriseIds.length === 0) return [];
    const params: unknown[] = [iso(from), iso(to)];
    const where = ['ts >= $1', 'ts < $2'];
    inList(where, params, 'enterprise', enterpriseIds);
    const rows = await this.q.query<{ ts: number; enterprise: string; gateway: string }>(
      `SELECT ts, enterprise, gateway, count() n FROM ${this.tables.readings} WHERE ${where.join(' AND ')}
       SAMPLE BY ${bucketMs === 600_000 ? '10m' : '1h'} ALIGN TO CALENDAR LIMIT 2000000`,
      params,
    );
    return rows.map((r) => ({ ts: r.ts, enterpriseId: r.enterprise, gatewayId: r.gateway }));
  }

  async firstReadings(to: number, enterpriseIds: readonly string[]): Promise<Map<string, number>> {
    if (enterpriseIds.length === 0) return new Map();
    const params: unknown[] = [iso(to)];
    const where = ['ts <= $1'];
    inList(where, params, 'enterprise', enterpriseIds);
    const rows = await this.q.query<{ enterprise: string; first: number }>(
      `SELECT enterprise, min(ts) first FROM ${this.tables.readings} WHERE ${where.join(' AND ')}`,
      params,
    );
    return new Map(rows.map((r) => [r.enterprise, r.first]));
  }

  async pointsLastSeen(enterpriseId: string): Promise<PointLastSeen[]> {
    const rows = await this.q.query<{ ts: number; point: string }>(
      `SELECT ts, point FROM ${this.tables.readings} WHERE enterprise = $1 LATEST ON ts PARTITION BY point`,
      [enterpriseId],
    );
    return rows.map((r) => ({ enterpriseId, point: r.point, lastTs: r.ts }));
  }

  ping(): Promise<boolean> {
    return this.q.ping();
  }
}
