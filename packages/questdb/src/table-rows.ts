import type { AlarmTransitionEvent, DeliveryRecord, GatewayEvent, ReadingBatch } from '@yujing/schemas';
import type { IlpRow, IlpValue } from './ilp-row';
import type { TableNames } from './table-names';

/**
 * One row per reading of the batch (`kind` per reading, gateway and received_at from the batch).
 * The rows share one received_at value (rows are read, never changed), one allocation less each.
 */
export function readingRows(tables: TableNames, batch: ReadingBatch): IlpRow[] {
  const table = tables.readings;
  const enterprise = batch.enterpriseId;
  const gateway = batch.gatewayId;
  const receivedAt: IlpValue = { type: 'timestamp', ms: batch.receivedAt };
  return batch.readings.map((r) => ({
    table,
    symbols: { enterprise, point: r.point, kind: r.kind, quality: r.q, gateway },
    columns: { value: { type: 'double', value: r.v }, received_at: receivedAt },
    tsMs: r.ts,
  }));
}

/** One row per alarm transition; ts = emittedAt, so a replayed event overwrites its own row. */
export function alarmEventRow(tables: TableNames, e: AlarmTransitionEvent): IlpRow {
  return {
    table: tables.alarm_events,
    symbols: {
      alarm_id: e.alarmId,
      enterprise: e.enterpriseId,
      point: e.point,
      rule: e.rule,
      kind: e.kind,
      state: e.state,
      loop: e.loop,
      transition: e.transition,
      ...(e.loopDue ? { loop_due_step: e.loopDue.step } : {}),
    },
    columns: {
      level: { type: 'long', value: e.level },
      value: e.value === null ? null : { type: 'double', value: e.value },
      limit: e.limit === null ? null : { type: 'double', value: e.limit },
      event_time: { type: 'timestamp', ms: e.eventTime },
      episode_start: { type: 'timestamp', ms: e.episodeStart },
      actor: e.actor ? { type: 'string', value: `${e.actor.role}:${e.actor.id}` } : null,
      comment: e.comment !== undefined ? { type: 'string', value: e.comment } : null,
      seq: { type: 'long', value: e.seq },
      attachments: e.attachments?.length ? { type: 'string', value: JSON.stringify(e.attachments) } : null,
      loop_due_at: e.loopDue ? { type: 'timestamp', ms: e.loopDue.dueAt } : null,
    },
    tsMs: e.emittedAt,
  };
}

/** One row per delivery attempt; ts = when the attempt finished. */
export function deliveryRow(tables: TableNames, d: DeliveryRecord): IlpRow {
  return {
    table: tables.deliveries,
    symbols: {
      delivery_id: d.deliveryId,
      alarm_id: d.alarmId,
      enterprise: d.enterpriseId,
      subscription: d.subscriptionId,
      event: d.event,
      target: d.target,
      status: d.status,
    },
    columns: {
      attempt: { type: 'long', value: d.attempt },
      http_status: d.httpStatus === null ? null : { type: 'long', value: d.httpStatus },
      latency_ms: { type: 'double', value: d.latencyMs },
      error: d.error !== undefined ? { type: 'string', value: d.error } : null,
    },
    tsMs: d.at,
  };
}

/** One row per gateway event; `online` is false only for offline events. */
export function gatewayStatusRow(tables: TableNames, g: GatewayEvent): IlpRow {
  return {
    table: tables.gateway_status,
    symbols: { enterprise: g.enterpriseId, gateway: g.gatewayId, event: g.type, reason: g.reason },
    columns: {
      online: { type: 'boolean', value: g.type !== 'offline' },
      expected_seq:
        g.detail?.expectedSeq !== undefined ? { type: 'long', value: g.detail.expectedSeq } : null,
      got_seq: g.detail?.gotSeq !== undefined ? { type: 'long', value: g.detail.gotSeq } : null,
    },
    tsMs: g.at,
  };
}
