import type { QuestDbQuery } from './query-client';
import { questdbErrors } from './questdb-errors';
import { rowLimit } from './sql-arguments';
import type { TableNames } from './table-names';

/** One stored webhook delivery attempt. */
export interface DeliveryRow {
  at: number;
  deliveryId: string;
  alarmId: string;
  enterpriseId: string;
  subscriptionId: string;
  event: string;
  target: string;
  attempt: number;
  status: string;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}

export interface DeliveryHistoryFilter {
  alarmId?: string;
  deliveryId?: string;
  limit?: number;
}

/** Delivery attempts of an alarm and/or one delivery, oldest first. At least one filter is required. */
export async function deliveryHistory(
  query: QuestDbQuery,
  tables: TableNames,
  filter: DeliveryHistoryFilter,
): Promise<DeliveryRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.alarmId !== undefined) {
    params.push(filter.alarmId);
    where.push(`alarm_id = $${params.length}`);
  }
  if (filter.deliveryId !== undefined) {
    params.push(filter.deliveryId);
    where.push(`delivery_id = $${params.length}`);
  }
  if (where.length === 0)
    throw questdbErrors.YJ_ERR_QUESTDB_BAD_ARGUMENT('deliveryHistory needs alarmId or deliveryId');
  return query.query<DeliveryRow & Record<string, unknown>>(
    `SELECT ts AS at, delivery_id AS "deliveryId", alarm_id AS "alarmId", enterprise AS "enterpriseId",
       subscription AS "subscriptionId", event, target, attempt, status, http_status AS "httpStatus",
       latency_ms AS "latencyMs", error
     FROM ${tables.deliveries} WHERE ${where.join(' AND ')} ORDER BY ts, attempt LIMIT ${rowLimit(filter.limit)}`,
    params,
  );
}
