/** Socket-level codes of a QuestDB that is down, restarting or unreachable (not a bad query). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * True when a PG-wire query failed because QuestDB could not be reached or dropped the connection
 * (killed, restarting), as opposed to QuestDB refusing the query: the caller answers 503 and may
 * retry. Found by the fault matrix (docs/reliability.md): with QuestDB killed, API reads said 500.
 */
export function isConnectionFailure(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Query read timeout/i.test(message);
}
