import type { QuestDbQuery } from './query-client';

/**
 * True when every committed WAL transaction of the table has been applied (rows written over
 * ILP become visible to queries asynchronously). For tests and benchmarks to wait on.
 */
export async function walApplied(query: QuestDbQuery, table: string): Promise<boolean> {
  const rows = await query.query<{ writerTxn: number; sequencerTxn: number; suspended: boolean }>(
    'SELECT writerTxn, sequencerTxn, suspended FROM wal_tables() WHERE name = $1',
    [table],
  );
  const row = rows[0];
  return row !== undefined && !row.suspended && Number(row.writerTxn) >= Number(row.sequencerTxn);
}

/** Row count of a table (`SELECT count()`). */
export async function countRows(
  query: QuestDbQuery,
  table: string,
  where = '',
  params: unknown[] = [],
): Promise<number> {
  const rows = await query.query<{ n: number }>(`SELECT count() AS n FROM ${table} ${where}`, params);
  return Number(rows[0]?.n ?? 0);
}
