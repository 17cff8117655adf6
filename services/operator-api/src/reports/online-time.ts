import type { GatewayStatusRow } from '../collaborators';

/**
 * Milliseconds each gateway spent online in [from, to): the state at `from` is the latest row at
 * or before it (no row = offline), then every row in (from, to] switches it. Pure.
 */
export function onlineMsByGateway(
  initial: readonly GatewayStatusRow[],
  changes: readonly GatewayStatusRow[],
  from: number,
  to: number,
): Map<string, number> {
  const key = (r: GatewayStatusRow) => `${r.enterpriseId}:${r.gatewayId}`;
  const state = new Map<string, { online: boolean; since: number }>();
  const total = new Map<string, number>();
  for (const r of initial) state.set(key(r), { online: r.online, since: from });
  const close = (k: string, at: number) => {
    const s = state.get(k);
    if (s?.online) total.set(k, (total.get(k) ?? 0) + Math.max(0, Math.min(at, to) - s.since));
  };
  for (const r of [...changes].sort((a, b) => a.ts - b.ts)) {
    if (r.ts <= from || r.ts > to) continue;
    const k = key(r);
    close(k, r.ts);
    state.set(k, { online: r.online, since: r.ts });
  }
  for (const k of state.keys()) close(k, to);
  return total;
}
