import pg from 'pg';
import { serviceEnv } from './service-env';
import { uniqueId } from './unique-id';

/**
 * A QuestDB table-name prefix nobody else uses, e.g. "t_3f2a9c_" (underscores only, so the
 * names need no quoting in SQL). Pass it as QDB_TABLE_PREFIX / `tablePrefix`.
 */
export function questdbTablePrefix(label = 't'): string {
  return `${uniqueId(label).replace(/[^a-z0-9]/g, '_')}_`;
}

/** Names of the QuestDB tables that start with `prefix`. */
export async function listQuestDbTables(prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: serviceEnv().questdbPg });
  await client.connect();
  try {
    const res = await client.query<{ table_name: string }>('SELECT table_name FROM tables()');
    return res.rows.map((r) => r.table_name).filter((t) => t.startsWith(prefix));
  } finally {
    await client.end();
  }
}

/** Drops every QuestDB table whose name starts with `prefix`. Refuses an empty prefix. */
export async function dropQuestDbTables(prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('refusing to drop QuestDB tables without a prefix');
  const tables = await listQuestDbTables(prefix);
  if (tables.length === 0) return [];
  const client = new pg.Client({ connectionString: serviceEnv().questdbPg });
  await client.connect();
  try {
    for (const t of tables) {
      if (!/^[A-Za-z0-9_]+$/.test(t)) throw new Error(`unexpected table name ${t}`);
      await client.query(`DROP TABLE IF EXISTS ${t}`);
    }
    return tables;
  } finally {
    await client.end();
  }
}

/** A unique table prefix and its clean-up, for `beforeAll`/`afterAll`. */
export function createQuestDbTablePrefix(label = 't'): { prefix: string; cleanup(): Promise<string[]> } {
  const prefix = questdbTablePrefix(label);
  return { prefix, cleanup: () => dropQuestDbTables(prefix) };
}
