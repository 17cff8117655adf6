import { decodeJson, TOPICS } from '@yujing/kafka';
import {
  alarmEventRow,
  deliveryRow,
  gatewayStatusRow,
  type IlpRow,
  readingRows,
  type TableNames,
} from '@yujing/questdb';
import { issuesToRecords } from '@yujing/schemas';

/** The topics store-writer sinks into QuestDB. */
export const SINK_TOPICS = ['readings', 'alarms', 'deliveries', 'gatewayEvents'] as const;
export type SinkTopic = (typeof SINK_TOPICS)[number];

/** A row and where it came from, so a row QuestDB rejects can be dead-lettered on its own. */
export interface PendingRow {
  row: IlpRow;
  offset: string;
  /** The bytes to dead-letter for this row: the record, or one reading with its batch context. */
  raw: () => Buffer;
}

export interface Rejection {
  reason: 'invalid-json' | 'schema' | 'timestamp-out-of-range';
  message: string;
  issues: { path: string; message: string; code?: string }[];
  offset: string;
  raw: Buffer;
}

export interface RecordRows {
  rows: PendingRow[];
  rejected: Rejection[];
}

/**
 * Decodes one Kafka record of a sink topic and maps it to QuestDB rows. Invalid records and
 * rows with a time QuestDB cannot take sensibly (too far ahead of `nowMs`) are returned as
 * rejections for the dead letter. Pure.
 */
export function recordRows(
  topic: SinkTopic,
  tables: TableNames,
  message: { offset: string; value: Buffer | null },
  nowMs: number,
  maxFutureMs: number,
): RecordRows {
  const raw = message.value ?? Buffer.alloc(0);
  const decoded = decodeJson(TOPICS[topic].schema, message.value);
  if (!decoded.ok) {
    return {
      rows: [],
      rejected: [
        {
          reason: decoded.reason,
          message: decoded.error.message.slice(0, 500),
          issues: decoded.reason === 'schema' ? issuesToRecords(decoded.issues) : [],
          offset: message.offset,
          raw,
        },
      ],
    };
  }
  const rows: IlpRow[] =
    topic === 'readings'
      ? readingRows(tables, decoded.value as never)
      : topic === 'alarms'
        ? [alarmEventRow(tables, decoded.value as never)]
        : topic === 'deliveries'
          ? [deliveryRow(tables, decoded.value as never)]
          : [gatewayStatusRow(tables, decoded.value as never)];
  const rawOf = (i: number) => () =>
    topic === 'readings'
      ? Buffer.from(
          JSON.stringify({
            ...(decoded.value as object),
            readings: [(decoded.value as { readings: unknown[] }).readings[i]],
          }),
        )
      : raw;
  const out: RecordRows = { rows: [], rejected: [] };
  rows.forEach((row, i) => {
    if (row.tsMs > nowMs + maxFutureMs) {
      out.rejected.push({
        reason: 'timestamp-out-of-range',
        message: `time ${new Date(row.tsMs).toISOString()} is more than ${maxFutureMs} ms ahead of the clock`,
        issues: [],
        offset: message.offset,
        raw: rawOf(i)(),
      });
    } else {
      out.rows.push({ row, offset: message.offset, raw: rawOf(i) });
    }
  });
  return out;
}
