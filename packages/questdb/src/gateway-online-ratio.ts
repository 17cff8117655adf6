import { type OnlineChange, onlineMs } from './online-ratio';
import type { QuestDbQuery } from './query-client';
import { timeRange } from './sql-arguments';
import type { TableNames } from './table-names';

export interface GatewayOnlineRatio {
  enterpriseId: string;
  gatewayId: string;
  onlineMs: number;
  /** onlineMs / (to − from), 0…1. */
  ratio: number;
}

/**
 * 在线率 per gateway over [from, to): time-weighted from the last online/offline event before the
 * period and the events inside it. Gateways never seen in gateway_status are not listed (the
 * caller joins the registry and counts them as 0).
 */
export async function gatewayOnlineRatios(
  query: QuestDbQuery,
  tables: TableNames,
  args: { fromMs: number; toMs: number; enterprise?: string },
): Promise<GatewayOnlineRatio[]> {
  const { from, to } = timeRange(args.fromMs, args.toMs);
  const byEnterprise = args.enterprise !== undefined ? ' AND enterprise = $3' : '';
  const extra = args.enterprise !== undefined ? [args.enterprise] : [];
  const before = await query.query<{ enterprise: string; gateway: string; online: boolean }>(
    `SELECT enterprise, gateway, online FROM (
       SELECT enterprise, gateway, online, ts FROM ${tables.gateway_status}
       WHERE ts < $1 AND event IN ('online', 'offline')${byEnterprise.replace('$3', '$2')}
       LATEST ON ts PARTITION BY enterprise, gateway)`,
    [from, ...extra],
  );
  const during = await query.query<{ enterprise: string; gateway: string; online: boolean; ts: number }>(
    `SELECT enterprise, gateway, online, ts FROM ${tables.gateway_status}
     WHERE ts >= $1 AND ts < $2 AND event IN ('online', 'offline')${byEnterprise} ORDER BY ts`,
    [from, to, ...extra],
  );
  const key = (e: string, g: string) => `${e}\u0000${g}`;
  const gateways = new Map<
    string,
    { enterpriseId: string; gatewayId: string; initial?: boolean; changes: OnlineChange[] }
  >();
  const entry = (enterpriseId: string, gatewayId: string) => {
    const k = key(enterpriseId, gatewayId);
    let g = gateways.get(k);
    if (!g) {
      g = { enterpriseId, gatewayId, changes: [] };
      gateways.set(k, g);
    }
    return g;
  };
  for (const row of before) entry(row.enterprise, row.gateway).initial = row.online;
  for (const row of during)
    entry(row.enterprise, row.gateway).changes.push({ tsMs: row.ts, online: row.online });
  const period = args.toMs - args.fromMs;
  return [...gateways.values()]
    .map((g) => {
      const ms = onlineMs(g.initial, g.changes, args.fromMs, args.toMs);
      return { enterpriseId: g.enterpriseId, gatewayId: g.gatewayId, onlineMs: ms, ratio: ms / period };
    })
    .sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId) || a.gatewayId.localeCompare(b.gatewayId));
}
