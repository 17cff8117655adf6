import pg from 'pg';
import { isConnectionFailure } from './connection-failure';
import { questdbErrors } from './questdb-errors';

const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

/** QuestDB timestamps are UTC without zone ("2026-11-28 02:00:00.123456"): → epoch ms. */
export function parseQuestDbTimestamp(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?/.exec(text);
  if (!m) return Number.NaN;
  const frac = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  return Date.parse(`${m[1]}T${m[2]}.${frac}Z`);
}

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP_OID || oid === TIMESTAMPTZ_OID) return parseQuestDbTimestamp;
    if (oid === INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface QuestDbQueryOptions {
  /** e.g. postgres://admin:quest@127.0.0.1:8812/qdb */
  connectionString: string;
  /** Pool size (PG wire connections). */
  max?: number;
  /** Per-statement timeout on the client side (ms). */
  queryTimeoutMs?: number;
}

/**
 * Queries QuestDB over PG wire with a `pg` Pool. Parameterised queries only: values go as $1…$n,
 * never into the SQL text. Timestamps come back as epoch ms (UTC), LONGs as numbers.
 * Timestamp parameters: pass an ISO-8601 string (`new Date(ms).toISOString()`).
 */
export class QuestDbQuery {
  readonly pool: pg.Pool;

  constructor(opts: QuestDbQueryOptions) {
    this.pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: opts.max ?? 4,
      query_timeout: opts.queryTimeoutMs ?? 30_000,
      types: typeParsers,
    });
    // An idle client losing its connection (QuestDB restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      const res = await this.pool.query<R>(sql, [...params]);
      return res.rows;
    } catch (err) {
      if (isConnectionFailure(err))
        throw questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE(`QuestDB unreachable: ${(err as Error).message}`, {
          cause: err,
        });
      throw questdbErrors.YJ_ERR_QUESTDB_QUERY_FAILED(`QuestDB query failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** True when QuestDB answers `SELECT 1` (for /readyz). */
  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
