import {
  type Enterprise,
  type Limits,
  type PointKindId,
  pointKind,
  type RegistryDocument,
} from '@yujing/schemas';
import type { SignalBounds } from './point-signal';

/** A point as the simulator needs it. */
export interface SimPointSpec {
  enterpriseId: string;
  gatewayId: string;
  code: string;
  kind: PointKindId;
  samplingPeriodMs: number;
  /** Equipment, else area, else the gateway: what a process cycle and `sameEquipmentAs` group by. */
  equipmentKey: string;
  equipment?: string;
  area?: string;
  votingGroup?: string;
  bounds: SignalBounds;
}

export interface SimGatewaySpec {
  enterpriseId: string;
  gatewayId: string;
  points: SimPointSpec[];
}

export interface FleetModel {
  enterprises: Enterprise[];
  gateways: SimGatewaySpec[];
  pointsOf(enterpriseId: string): SimPointSpec[];
}

export interface FleetFilter {
  /** Only these enterprise ids (default: all). */
  enterpriseIds?: readonly string[];
}

/**
 * The simulated fleet from a registry document: every gateway with its points, sorted so the
 * same registry always gives the same fleet. Limits follow the registry's rule: the point's own
 * design limits when it has any, else the kind's defaults.
 */
export function buildFleetModel(doc: RegistryDocument, filter: FleetFilter = {}): FleetModel {
  const wanted = filter.enterpriseIds ? new Set(filter.enterpriseIds) : undefined;
  const enterprises = doc.enterprises
    .filter((e) => !wanted || wanted.has(e.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  const known = new Set(enterprises.map((e) => e.id));
  const byGateway = new Map<string, SimGatewaySpec>();
  for (const g of doc.gateways) {
    if (!known.has(g.enterpriseId)) continue;
    byGateway.set(`${g.enterpriseId}:${g.id}`, { enterpriseId: g.enterpriseId, gatewayId: g.id, points: [] });
  }
  const byEnterprise = new Map<string, SimPointSpec[]>();
  for (const p of doc.points) {
    const gw = byGateway.get(`${p.enterpriseId}:${p.gatewayId}`);
    const def = pointKind(p.kind);
    if (!gw || !def) continue;
    const hasOwnLimits = Object.values(p.limits).some((v) => v !== undefined);
    const limits: Limits = hasOwnLimits ? { ...p.limits } : { ...def.limits };
    const spec: SimPointSpec = {
      enterpriseId: p.enterpriseId,
      gatewayId: p.gatewayId,
      code: p.code,
      kind: p.kind,
      samplingPeriodMs: p.samplingPeriodMs,
      equipmentKey: p.equipment ?? p.area ?? `gateway:${p.gatewayId}`,
      ...(p.equipment !== undefined ? { equipment: p.equipment } : {}),
      ...(p.area !== undefined ? { area: p.area } : {}),
      ...(p.votingGroup !== undefined ? { votingGroup: p.votingGroup } : {}),
      bounds: { range: p.range, limits, deadband: p.deadband ?? def.deadband },
    };
    gw.points.push(spec);
    const list = byEnterprise.get(p.enterpriseId) ?? [];
    list.push(spec);
    byEnterprise.set(p.enterpriseId, list);
  }
  for (const list of byEnterprise.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const gateways = [...byGateway.values()]
    .filter((g) => g.points.length > 0)
    .sort((a, b) => `${a.enterpriseId}:${a.gatewayId}`.localeCompare(`${b.enterpriseId}:${b.gatewayId}`));
  for (const g of gateways) g.points.sort((a, b) => a.code.localeCompare(b.code));
  return { enterprises, gateways, pointsOf: (id) => byEnterprise.get(id) ?? [] };
}
