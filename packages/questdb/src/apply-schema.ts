import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuestDbQuery } from './query-client';
import { questdbErrors } from './questdb-errors';
import { TABLE_IDS, type TableId, tableNames } from './table-names';

/** A QuestDB TTL such as "90 DAYS", "2 WEEKS", "3 YEARS" (HOURS | DAYS | WEEKS | MONTHS | YEARS). */
export type Ttl = string;
const TTL = /^(\d{1,5}) (HOURS?|DAYS?|WEEKS?|MONTHS?|YEARS?)$/;

export const DEFAULT_TTL: Readonly<Record<TableId, Ttl>> = Object.freeze({
  readings: '90 DAYS',
  alarm_events: '3 YEARS',
  deliveries: '1 YEAR',
  gateway_status: '1 YEAR',
});

export interface ApplySchemaOptions {
  tablePrefix?: string;
  ttl?: Partial<Record<TableId, Ttl>>;
}

/**
 * Columns added to a table after its first release: CREATE TABLE IF NOT EXISTS leaves a table
 * created earlier as it was, so each start adds the ones it lacks (QuestDB refuses a no-op ADD
 * COLUMN IF NOT EXISTS on a WAL table, so the columns are read first, and a no-op refusal from a
 * concurrent start counts as done). Keep them in the DDL file too.
 */
export const ADDED_COLUMNS: Readonly<Partial<Record<TableId, readonly string[]>>> = Object.freeze({
  // Issue 15 (closed loop): attachments and the next step's deadline of loop transitions.
  alarm_events: ['attachments STRING', 'loop_due_step SYMBOL', 'loop_due_at TIMESTAMP'],
});

/** The DDL file for a table id: alarm_events → alarm-events.sql. */
const fileOf = (id: TableId) => `${id.replace(/_/g, '-')}.sql`;

/** Removes `--` comments outside quotes (the DDL files use them only at line ends). */
function stripComments(sql: string): string {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trimEnd())
    .filter((line) => line.length > 0)
    .join('\n')
    .trim()
    .replace(/;$/, '');
}

/** Renders one DDL file's template into the statement to run. Pure (exported for unit tests). */
export function renderDdl(template: string, tablePrefix: string, ttl: Ttl): string {
  if (!TTL.test(ttl))
    throw questdbErrors.YJ_ERR_QUESTDB_SCHEMA_INVALID(`invalid TTL "${ttl}" (e.g. "90 DAYS")`);
  tableNames(tablePrefix); // validates the prefix
  return stripComments(template).replaceAll('{{prefix}}', tablePrefix).replaceAll('{{ttl}}', ttl);
}

/**
 * Applies deploy/questdb/*.sql: CREATE TABLE IF NOT EXISTS for every table, then SET TTL so a
 * changed retention reaches existing tables. Safe to run at every start and concurrently.
 * Returns the table names.
 */
export async function applySchema(
  query: QuestDbQuery,
  ddlDir: string,
  opts: ApplySchemaOptions = {},
): Promise<Record<TableId, string>> {
  const prefix = opts.tablePrefix ?? '';
  const names = tableNames(prefix);
  const files = new Set(await readdir(ddlDir));
  for (const id of TABLE_IDS) {
    if (!files.has(fileOf(id))) {
      throw questdbErrors.YJ_ERR_QUESTDB_SCHEMA_INVALID(`missing DDL file ${join(ddlDir, fileOf(id))}`);
    }
    const ttl = opts.ttl?.[id] ?? DEFAULT_TTL[id];
    const ddl = renderDdl(await readFile(join(ddlDir, fileOf(id)), 'utf8'), prefix, ttl);
    try {
      await query.query(ddl);
      await addMissingColumns(query, names[id], ADDED_COLUMNS[id] ?? []);
      await query.query(`ALTER TABLE ${names[id]} SET TTL ${ttl}`);
    } catch (err) {
      throw questdbErrors.YJ_ERR_QUESTDB_SCHEMA_INVALID(
        `applying ${fileOf(id)} failed: ${(err as Error).message}`,
        {
          cause: err,
          context: { table: names[id] },
        },
      );
    }
  }
  return { ...names };
}

async function addMissingColumns(
  query: QuestDbQuery,
  table: string,
  columns: readonly string[],
): Promise<void> {
  if (columns.length === 0) return;
  const rows = await query.query<{ column: string }>(`SELECT "column" FROM table_columns('${table}')`);
  const present = new Set(rows.map((r) => r.column));
  for (const column of columns) {
    const name = column.split(' ')[0]!;
    if (present.has(name)) continue;
    // table_columns() shows the applied structure; a column another start added moments ago may
    // exist in the WAL already, and then QuestDB calls the ADD a no-op error: it is there, done.
    await query.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column}`).catch((err: unknown) => {
      if (!/no-op/.test(String((err as Error).message))) throw err;
    });
  }
}
