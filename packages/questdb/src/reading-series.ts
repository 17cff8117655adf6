import type { QuestDbQuery } from './query-client';
import { questdbErrors } from './questdb-errors';
import { sampleStepMs, timeRange } from './sql-arguments';
import type { TableNames } from './table-names';

export interface ReadingSeriesArgs {
  enterprise: string;
  point: string;
  fromMs: number;
  toMs: number;
  /** Bucket width: 30s, 1m, 15m, 1h, 1d … */
  step: string;
  /** Most buckets a caller may ask for (protects the API from huge responses). */
  maxBuckets?: number;
}

/** One down-sampled bucket; `ts` is its start (UTC epoch ms, aligned to the calendar). */
export interface ReadingBucket {
  ts: number;
  min: number;
  max: number;
  avg: number;
  last: number;
  count: number;
}

/** A point's readings over [from, to), down-sampled with SAMPLE BY (empty buckets are omitted). */
export async function readingSeries(
  query: QuestDbQuery,
  tables: TableNames,
  args: ReadingSeriesArgs,
): Promise<ReadingBucket[]> {
  const stepMs = sampleStepMs(args.step);
  const { from, to } = timeRange(args.fromMs, args.toMs);
  const buckets = Math.ceil((args.toMs - args.fromMs) / stepMs);
  if (buckets > (args.maxBuckets ?? 10_000)) {
    throw questdbErrors.YJ_ERR_QUESTDB_BAD_ARGUMENT(`range/step gives ${buckets} buckets; use a larger step`);
  }
  return query.query<ReadingBucket & Record<string, unknown>>(
    `SELECT ts, min(value) AS min, max(value) AS max, avg(value) AS avg, last(value) AS last, count() AS count
     FROM ${tables.readings}
     WHERE enterprise = $1 AND point = $2 AND ts >= $3 AND ts < $4
     SAMPLE BY ${args.step} ALIGN TO CALENDAR
     ORDER BY ts`,
    [args.enterprise, args.point, from, to],
  );
}
