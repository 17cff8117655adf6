/** The four tables of DESIGN §8. */
export const TABLE_IDS = ['readings', 'alarm_events', 'deliveries', 'gateway_status'] as const;
export type TableId = (typeof TABLE_IDS)[number];
export type TableNames = Readonly<Record<TableId, string>>;

const PREFIX = /^[a-z0-9_]*$/;

/** Actual table names for a deployment or test prefix (lowercase letters, digits, underscores). */
export function tableNames(prefix = ''): TableNames {
  if (!PREFIX.test(prefix)) throw new Error(`invalid QuestDB table prefix "${prefix}" (use [a-z0-9_])`);
  return Object.freeze(
    Object.fromEntries(TABLE_IDS.map((id) => [id, `${prefix}${id}`])) as Record<TableId, string>,
  );
}
