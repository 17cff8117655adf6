import type { HazardRecord, HazardState, InspectionRecord, TipOffRecord } from '@yujing/schemas';

/** Hand-written supervision records for route tests (not built by the code under test). */
export const REGULATOR = { id: 'reg-fixture', role: 'regulator' as const };

export function hazardFixture(
  enterpriseId: string,
  id: string,
  state: HazardState,
  at: number,
  extra: Partial<HazardRecord> = {},
): HazardRecord {
  const confirmed = state !== 'reported' && state !== 'rejected';
  return {
    type: 'hazard',
    id,
    version: 1,
    writeId: `fixture-${id}`,
    enterpriseId,
    criterionId: 'steel-water-cooled-elements',
    title: `隐患${enterpriseId}`,
    description: '',
    source: { kind: 'inspector' },
    state,
    responsible: { name: '张三' },
    ...(confirmed ? { confirmedAt: at, deadline: at + 7 * 86_400_000 } : {}),
    ...(state === 'rectified' ? { rectifiedAt: at } : {}),
    reportedAt: at,
    history: [{ at, action: 'report', from: null, to: state, actor: REGULATOR }],
    ...extra,
  };
}

export function tipOffFixture(county: string, id: string, at: number, enterpriseName: string): TipOffRecord {
  return {
    type: 'tip-off',
    id,
    version: 1,
    writeId: `fixture-${id}`,
    county,
    enterpriseName,
    description: '除尘器没有泄爆装置，车间粉尘很多',
    receivedAt: at,
    status: 'pending',
  };
}

export function inspectionFixture(
  enterpriseId: string,
  id: string,
  at: number,
  kind: InspectionRecord['kind'] = 'administrative',
): InspectionRecord {
  return {
    type: 'inspection',
    id,
    version: 1,
    writeId: `fixture-${id}`,
    enterpriseId,
    kind,
    inspectedAt: at,
    inspectors: [REGULATOR],
    summary: `检查${enterpriseId}`,
    findings: [],
  };
}
