import type { QuestDbQuery } from './query-client';
import { rowLimit } from './sql-arguments';
import type { TableNames } from './table-names';

/** One stored alarm transition (a row of alarm_events). Times are epoch ms. */
export interface AlarmEventRow {
  alarmId: string;
  enterpriseId: string;
  point: string;
  rule: string;
  kind: string;
  level: number;
  state: string;
  loop: string | null;
  transition: string;
  value: number | null;
  limit: number | null;
  eventTime: number | null;
  emittedAt: number;
  episodeStart: number | null;
  actor: string | null;
  comment: string | null;
  seq: number;
  /** JSON array of attachments by reference (closed-loop steps), null when none. */
  attachments: string | null;
  loopDueStep: string | null;
  loopDueAt: number | null;
}

const COLUMNS = `alarm_id AS "alarmId", enterprise AS "enterpriseId", point, rule, kind, level, state, loop,
  transition, value, "limit", event_time AS "eventTime", ts AS "emittedAt", episode_start AS "episodeStart",
  actor, comment, seq, attachments, loop_due_step AS "loopDueStep", loop_due_at AS "loopDueAt"`;

export interface CurrentAlarmsFilter {
  enterprise?: string;
  state?: string;
  /** Only alarms at this level or more severe (1 = most severe). */
  maxLevel?: number;
  limit?: number;
}

/**
 * The current state of every alarm: its latest transition (LATEST ON ts PARTITION BY alarm_id),
 * filtered after the latest row is chosen (an alarm whose latest state is "normal" is not
 * reported as active because of an older row).
 */
export async function currentAlarms(
  query: QuestDbQuery,
  tables: TableNames,
  filter: CurrentAlarmsFilter = {},
): Promise<AlarmEventRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.enterprise !== undefined) {
    params.push(filter.enterprise);
    where.push(`"enterpriseId" = $${params.length}`);
  }
  if (filter.state !== undefined) {
    params.push(filter.state);
    where.push(`state = $${params.length}`);
  }
  if (filter.maxLevel !== undefined) {
    params.push(filter.maxLevel);
    where.push(`level <= $${params.length}`);
  }
  const sql = `SELECT * FROM (SELECT ${COLUMNS} FROM ${tables.alarm_events} LATEST ON ts PARTITION BY alarm_id)
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY "emittedAt" DESC LIMIT ${rowLimit(filter.limit)}`;
  return query.query<AlarmEventRow & Record<string, unknown>>(sql, params);
}

/** Every transition of one alarm, oldest first. */
export async function alarmTimeline(
  query: QuestDbQuery,
  tables: TableNames,
  alarmId: string,
): Promise<AlarmEventRow[]> {
  return query.query<AlarmEventRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM ${tables.alarm_events} WHERE alarm_id = $1 ORDER BY ts, seq`,
    [alarmId],
  );
}
