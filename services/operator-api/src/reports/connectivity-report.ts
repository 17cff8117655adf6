import type { Enterprise, Gateway } from '@yujing/schemas';
import type { GatewayStatusRow } from '../collaborators';
import { onlineMsByGateway } from './online-time';

export interface ConnectivityRow {
  level: 'province' | 'city' | 'county';
  code: string;
  enterprises: number;
  /** Enterprises whose category deadline (connectionRequiredBy) is on or before asOf. */
  required: number;
  /** Of the required ones, those with at least one gateway that has ever reported. */
  connected: number;
  /** 接入率 = connected / required (null when nothing is required yet). */
  accessRate: number | null;
  gateways: number;
  /** 在线率 = online gateway time / (gateways × period), over [from, to). */
  onlineRate: number | null;
}

export interface ConnectivityInput {
  enterprises: readonly Enterprise[];
  gateways: readonly Gateway[];
  /** Latest status per gateway at `to` (any row = the gateway has reported at least once). */
  statusAtTo: readonly GatewayStatusRow[];
  /** Latest status per gateway at `from`. */
  statusAtFrom: readonly GatewayStatusRow[];
  /** Status rows in (from, to]. */
  changes: readonly GatewayStatusRow[];
  from: number;
  to: number;
}

/** 接入率 and 在线率 per province, city and county (DESIGN §7; domain README deadlines). Pure. */
export function connectivityReport(input: ConnectivityInput): ConnectivityRow[] {
  const asOfDate = new Date(input.to + 8 * 3_600_000).toISOString().slice(0, 10); // China Standard Time calendar day
  const reported = new Set(input.statusAtTo.map((r) => r.enterpriseId));
  const onlineMs = onlineMsByGateway(input.statusAtFrom, input.changes, input.from, input.to);
  const period = input.to - input.from;
  const groups = new Map<string, { level: ConnectivityRow['level']; code: string; ids: Set<string> }>();
  const add = (level: ConnectivityRow['level'], code: string, id: string) => {
    const k = `${level}:${code}`;
    const g = groups.get(k) ?? { level, code, ids: new Set<string>() };
    g.ids.add(id);
    groups.set(k, g);
  };
  for (const e of input.enterprises) {
    add('province', e.region.province, e.id);
    add('city', e.region.city, e.id);
    add('county', e.region.county, e.id);
  }
  const order = { province: 0, city: 1, county: 2 };
  return [...groups.values()]
    .sort((a, b) => order[a.level] - order[b.level] || a.code.localeCompare(b.code))
    .map(({ level, code, ids }) => {
      const members = input.enterprises.filter((e) => ids.has(e.id));
      const required = members.filter((e) => e.connectionRequiredBy <= asOfDate);
      const connected = required.filter((e) => reported.has(e.id)).length;
      const gws = input.gateways.filter((g) => ids.has(g.enterpriseId));
      const online = gws.reduce((sum, g) => sum + (onlineMs.get(`${g.enterpriseId}:${g.id}`) ?? 0), 0);
      return {
        level,
        code,
        enterprises: members.length,
        required: required.length,
        connected,
        accessRate: required.length === 0 ? null : connected / required.length,
        gateways: gws.length,
        onlineRate: gws.length === 0 || period <= 0 ? null : online / (gws.length * period),
      };
    });
}
