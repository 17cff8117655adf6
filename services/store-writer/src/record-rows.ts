import { decodeJson, TOPICS } from '@yujing/kafka';
import {
  alarmEventRow,
  deliveryRow,
  gatewayStatusRow,
  type IlpRow,
  readingRows,
  type TableNames,
} from '@yujing/questdb';
import { issuesToRecords, type ReadingBatch } from '@yujing/schemas';

/** The topics store-writer sinks into QuestDB. */
export const SINK_TOPICS = ['readings', 'alarms', 'deliveries', 'gatewayEvents'] as const;
export type SinkTopic = (typeof SINK_TOPICS)[number];

/** A row and where it came from, so a row QuestDB rejects can be dead-lettered on its own. */
export interface PendingRow {
  row: IlpRow;
  offset: string;
  /** The bytes to dead-letter for this row: the record, or one reading with its batch context. */
  raw(): Buffer;
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
  if (topic !== 'readings') {
    const row =
      topic === 'alarms'
        ? alarmEventRow(tables, decoded.value as never)
        : topic === 'deliveries'
          ? deliveryRow(tables, decoded.value as never)
          : gatewayStatusRow(tables, decoded.value as never);
    return checkTimes([row], (_i, row) => new RecordRow(row, message.offset, raw), nowMs, maxFutureMs);
  }
  const batch = decoded.value as ReadingBatch;
  return checkTimes(
    readingRows(tables, batch),
    (i, row) => new ReadingRow(row, message.offset, batch, i),
    nowMs,
    maxFutureMs,
  );
}

/** Splits rows into those to write and those too far ahead of the clock (dead-lettered). */
function checkTimes(
  rows: IlpRow[],
  pending: (index: number, row: IlpRow) => PendingRow,
  nowMs: number,
  maxFutureMs: number,
): RecordRows {
  const out: RecordRows = { rows: [], rejected: [] };
  const latest = nowMs + maxFutureMs;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as IlpRow;
    const p = pending(i, row);
    if (row.tsMs > latest) {
      out.rejected.push({
        reason: 'timestamp-out-of-range',
        message: `time ${new Date(row.tsMs).toISOString()} is more than ${maxFutureMs} ms ahead of the clock`,
        issues: [],
        offset: p.offset,
        raw: p.raw(),
      });
    } else {
      out.rows.push(p);
    }
  }
  return out;
}

/** A row of a one-row record: its dead-letter bytes are the record's. */
class RecordRow implements PendingRow {
  constructor(
    readonly row: IlpRow,
    readonly offset: string,
    readonly record: Buffer,
  ) {}

  raw(): Buffer {
    return this.record;
  }
}

/**
 * A row of a reading batch: its dead-letter bytes (the batch with only this reading) are built
 * only when asked for, from the decoded batch all rows of the record share (no closure per row).
 */
class ReadingRow implements PendingRow {
  constructor(
    readonly row: IlpRow,
    readonly offset: string,
    readonly batch: ReadingBatch,
    readonly index: number,
  ) {}

  raw(): Buffer {
    return Buffer.from(JSON.stringify({ ...this.batch, readings: [this.batch.readings[this.index]] }));
  }
}
