import { z } from 'zod';
import { Actor, AdminCode, EpochMs, LocalId } from './primitives';

/**
 * 重大事故隐患 register, public tip-offs (举报) and inspections (执法检查): the records of the
 * supervision store (compacted topic `yj.supervision.v1`, docs/hazards.md, ADR 0003). Each record
 * carries a `version`; the store keeps the first record of each version and ignores later ones
 * (optimistic concurrency between API instances).
 */
export const HazardState = z.enum(['reported', 'confirmed', 'rectifying', 'rectified', 'closed', 'rejected']);
export type HazardState = z.infer<typeof HazardState>;

export const HazardAction = z.enum(['confirm', 'reject', 'plan', 'rectified', 'verify', 'reopen']);
export type HazardAction = z.infer<typeof HazardAction>;

export const HazardSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('alarm'), alarmId: z.string().min(1).max(256) }),
  z.object({ kind: z.literal('loop-finding'), alarmId: z.string().min(1).max(256) }),
  z.object({ kind: z.literal('inspector') }),
  z.object({ kind: z.literal('inspection'), inspectionId: LocalId }),
  z.object({ kind: z.literal('public-report'), tipOffId: LocalId }),
]);
export type HazardSource = z.infer<typeof HazardSource>;

export const ResponsiblePerson = z.object({
  name: z.string().min(1).max(64),
  phone: z.string().min(5).max(32).optional(),
});

export const HazardHistoryEntry = z.object({
  at: EpochMs,
  action: z.union([HazardAction, z.literal('report')]),
  from: HazardState.nullable(),
  to: HazardState,
  actor: Actor,
  comment: z.string().max(2000).optional(),
  attachments: z
    .array(z.string().min(1).max(512))
    .max(20)
    .optional()
    .describe('references (URLs, object keys)'),
});

export const HazardRecord = z.object({
  type: z.literal('hazard'),
  id: LocalId,
  version: z.number().int().positive(),
  writeId: z.string().min(1).max(64).describe('who wrote this version (read back to detect a lost race)'),
  enterpriseId: z.string().min(1).max(64),
  criterionId: z.string().min(1).max(64).describe('an id of the criteria catalogue (docs/hazards.md)'),
  title: z.string().min(1).max(200),
  description: z.string().max(4000).default(''),
  source: HazardSource,
  state: HazardState,
  responsible: ResponsiblePerson.optional(),
  plan: z.string().max(4000).optional().describe('整改方案'),
  deadline: EpochMs.optional().describe('整改期限'),
  reportedAt: EpochMs,
  confirmedAt: EpochMs.optional(),
  rectifiedAt: EpochMs.optional(),
  closedAt: EpochMs.optional(),
  history: z.array(HazardHistoryEntry).max(200),
});
export type HazardRecord = z.infer<typeof HazardRecord>;

export const TipOffRecord = z.object({
  type: z.literal('tip-off'),
  id: LocalId,
  version: z.number().int().positive(),
  writeId: z.string().min(1).max(64),
  county: AdminCode.describe('county the report is about (routes it to that county’s regulators)'),
  enterpriseName: z.string().min(2).max(100),
  description: z.string().min(10).max(4000),
  contact: z.string().max(64).optional().describe('absent: anonymous'),
  receivedAt: EpochMs,
  status: z.enum(['pending', 'accepted', 'dismissed']),
  moderatedBy: Actor.optional(),
  moderatedAt: EpochMs.optional(),
  reason: z.string().max(1000).optional(),
  hazardId: LocalId.optional(),
});
export type TipOffRecord = z.infer<typeof TipOffRecord>;

export const InspectionFinding = z.object({
  criterionId: z.string().min(1).max(64).optional().describe('set: a major hazard, registered as such'),
  title: z.string().min(1).max(200),
  description: z.string().max(4000).default(''),
  hazardId: LocalId.optional(),
});

export const InspectionRecord = z.object({
  type: z.literal('inspection'),
  id: LocalId,
  version: z.number().int().positive(),
  writeId: z.string().min(1).max(64),
  enterpriseId: z.string().min(1).max(64),
  kind: z.enum(['administrative', 'supervisory']).describe('行政检查 (counts against the cap) or 督导检查'),
  inspectedAt: EpochMs,
  inspectors: z.array(Actor).min(1).max(10),
  summary: z.string().max(4000).default(''),
  findings: z.array(InspectionFinding).max(100),
});
export type InspectionRecord = z.infer<typeof InspectionRecord>;

export const SupervisionRecord = z.discriminatedUnion('type', [HazardRecord, TipOffRecord, InspectionRecord]);
export type SupervisionRecord = z.infer<typeof SupervisionRecord>;

/** Key of a supervision record on its topic. */
export const supervisionKey = (r: Pick<SupervisionRecord, 'type' | 'id'>): string => `${r.type}/${r.id}`;
