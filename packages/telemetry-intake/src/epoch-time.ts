/**
 * A gateway timestamp (ISO-8601 with an explicit offset, or epoch ms) as UTC epoch ms. The ISO
 * form has already passed the schema (offset required), so Date.parse is unambiguous here.
 */
export function toEpochMs(ts: string | number): number {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}
