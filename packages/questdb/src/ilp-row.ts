import type { Sender } from '@questdb/nodejs-client';

/** A typed column value; `null`/`undefined` columns are left out (NULL in QuestDB). */
export type IlpValue =
  | { type: 'double'; value: number }
  | { type: 'long'; value: number }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'timestamp'; ms: number };

/** One row for ILP: symbols first, then columns, then the designated timestamp (epoch ms). */
export interface IlpRow {
  table: string;
  symbols: Record<string, string | null | undefined>;
  columns: Record<string, IlpValue | null | undefined>;
  tsMs: number;
}

/**
 * Appends one row to a client Sender's buffer, the client's own way. Writes go through IlpEncoder
 * (same bytes, much faster); this is the reference its tests and the QuestDB writer bench compare to.
 * Throws on a value ILP cannot carry (e.g. non-integer long).
 */
export async function appendRow(sender: Sender, row: IlpRow): Promise<void> {
  sender.table(row.table);
  for (const [name, value] of Object.entries(row.symbols)) {
    if (value !== null && value !== undefined) sender.symbol(name, value);
  }
  for (const [name, col] of Object.entries(row.columns)) {
    if (!col) continue;
    switch (col.type) {
      case 'double':
        sender.floatColumn(name, col.value);
        break;
      case 'long':
        sender.intColumn(name, col.value);
        break;
      case 'string':
        sender.stringColumn(name, col.value);
        break;
      case 'boolean':
        sender.booleanColumn(name, col.value);
        break;
      case 'timestamp':
        sender.timestampColumn(name, col.ms, 'ms');
        break;
    }
  }
  await sender.at(row.tsMs, 'ms');
}
