import { randomBytes } from 'node:crypto';

/**
 * A short unique id for test isolation: lowercase letters, digits and dashes, safe in Kafka
 * topic names, consumer groups, BullMQ queue names and QuestDB table names (dashes replaced).
 */
export function uniqueId(label: string): string {
  const clean =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 24) || 't';
  return `${clean}-${randomBytes(4).toString('hex')}`;
}
