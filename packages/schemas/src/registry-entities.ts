import { z } from 'zod';
import { DutyRole, DutyRoster, Person } from './notification-routing';
import { kindFitsIndustries, POINT_KIND_IDS, pointKind } from './point-kind-catalogue';
import { Actor, AdminCode, AlarmLevel, DurationMs, EpochMs, Industry, LocalId } from './primitives';
import { Limits, RuleOverride, RuleSpec } from './rule-spec';

/** 分级分类: classification scheme, letter and rank. Never a bare letter. */
export const SHANXI_SCHEME = 'shanxi-yjgm-2024';
export const ClassCode = z.enum(['A', 'B', 'C', 'D']);
export type ClassCode = z.infer<typeof ClassCode>;
const RANK_OF: Record<ClassCode, number> = { A: 1, B: 2, C: 3, D: 4 };

export const Classification = z
  .object({
    scheme: z.string().min(1).describe(`classification scheme, e.g. ${SHANXI_SCHEME} (A 重大 … D 低)`),
    code: ClassCode,
    rank: z.number().int().min(1).max(4).describe('1 = highest risk'),
  })
  .refine((c) => c.scheme !== SHANXI_SCHEME || RANK_OF[c.code] === c.rank, {
    message: 'rank must match the letter in the Shanxi scheme (A=1, B=2, C=3, D=4)',
    path: ['rank'],
  });
export type Classification = z.infer<typeof Classification>;

export const Region = z
  .object({ province: AdminCode, city: AdminCode, county: AdminCode })
  .superRefine((r, ctx) => {
    if (!r.province.endsWith('0000'))
      ctx.addIssue({ code: 'custom', path: ['province'], message: 'province code ends in 0000' });
    if (!r.city.endsWith('00') || r.city.slice(0, 2) !== r.province.slice(0, 2))
      ctx.addIssue({
        code: 'custom',
        path: ['city'],
        message: `city ${r.city} is not a city of province ${r.province}`,
      });
    if (r.county.slice(0, 4) !== r.city.slice(0, 4) || r.county === r.city)
      ctx.addIssue({
        code: 'custom',
        path: ['county'],
        message: `county ${r.county} is not a county of city ${r.city}`,
      });
  });
export type Region = z.infer<typeof Region>;

export const Hazard = z.enum(['industrial-gas', 'molten-metal', 'explosive-dust', 'metal-smelting']);

/** 安全生产标准化 grade of an enterprise (一级 best); none = 未定级. */
export const StandardizationGrade = z.enum(['1', '2', '3', 'none']);
export type StandardizationGrade = z.infer<typeof StandardizationGrade>;

export const Contact = z.object({
  name: z.string().min(1),
  role: z.string().min(1),
  phone: z.string().min(5).max(32),
});

/**
 * Longest maintenance window (scheduled or asked for through the API): 7 days, the same bound as
 * the API's longest shelve. [D] design choice: ISA-18.2 asks for out-of-service and suppression to
 * be time-limited and audited but gives no number; a longer job is a new window, with a new reason.
 */
export const MAX_MAINTENANCE_MS = 7 * 86_400_000;

/**
 * A maintenance window (检修) of an enterprise: its points' alarms are suppressed (evaluated and
 * recorded, not annunciated or escalated) or out of service (removed from service) from `from` to
 * `to`. Scheduled ones come with the registry; the API adds ad-hoc ones for a point.
 */
export const MaintenanceWindow = z
  .object({
    id: LocalId,
    mode: z.enum(['suppress', 'out-of-service']),
    points: z
      .array(LocalId)
      .default([])
      .describe('point codes; empty = every alarm of the enterprise (points, gateways, vote groups)'),
    from: EpochMs,
    to: EpochMs,
    reason: z.string().min(1).max(500),
    requestedBy: Actor.optional().describe('who asked for it (absent: scheduled with the registry)'),
  })
  .refine((w) => w.to > w.from, { message: 'to must be after from', path: ['to'] })
  .refine((w) => w.to - w.from <= MAX_MAINTENANCE_MS, {
    message: `a maintenance window lasts at most ${MAX_MAINTENANCE_MS / 86_400_000} days`,
    path: ['to'],
  });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const Enterprise = z
  .object({
    id: z.string().regex(/^\d{6}[0-9A-Za-z]{3,12}$/, 'enterprise id starts with its 6-digit county code'),
    name: z.string().min(2),
    region: Region,
    industries: z.array(Industry).min(1),
    hazards: z.array(Hazard).default([]),
    dustWorkers: z.number().int().nonnegative().optional().describe('headcount in dust-related work'),
    classification: Classification,
    contacts: z.array(Contact).default([]),
    standardizationGrade: StandardizationGrade.default('none').describe(
      '安全生产标准化 grade: 1 一级, 2 二级, 3 三级, none 未定级 (drives the yearly inspection cap)',
    ),
    connectionRequiredBy: z.iso
      .date()
      .describe('connection deadline of the enterprise category (YYYY-MM-DD)'),
    maintenanceWindows: z
      .array(MaintenanceWindow)
      .max(100)
      .default([])
      .describe(
        'scheduled and ad-hoc maintenance windows (检修): suppression / out-of-service of its alarms',
      ),
  })
  // Runs even when other fields are invalid, so a file shows this mistake together with the rest.
  .superRefine(
    (e, ctx) => {
      if (!e.id.startsWith(e.region.county))
        ctx.addIssue({
          code: 'custom',
          path: ['id'],
          message: `enterprise id ${e.id} does not start with its county code ${e.region.county}`,
        });
    },
    {
      when: ({ value }) => {
        const v = value as { id?: unknown; region?: { county?: unknown } } | null;
        return typeof v?.id === 'string' && typeof v.region?.county === 'string';
      },
    },
  )
  .superRefine((e, ctx) => {
    if (e.classification.scheme === SHANXI_SCHEME && e.hazards.length > 0 && e.classification.rank > 2)
      ctx.addIssue({
        code: 'custom',
        path: ['classification', 'code'],
        message: `enterprises with ${e.hazards.join(', ')} start at B in the Shanxi scheme; got ${e.classification.code}`,
      });
  });
export type Enterprise = z.infer<typeof Enterprise>;

/**
 * A gateway (数采网关) of one enterprise. Credentials are stored hashed only: the MQTT password as
 * Mosquitto's PBKDF2-SHA512 `$7$` form (also verifiable in Node), the HTTP token as sha256 hex.
 */
export const Gateway = z.object({
  enterpriseId: z.string().min(1),
  id: LocalId,
  name: z.string().optional(),
  heartbeatTimeoutMs: DurationMs.default(60_000),
  credentials: z.object({
    mqttPasswordHash: z
      .string()
      .regex(/^\$7\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'expected a Mosquitto $7$ PBKDF2-SHA512 hash'),
    httpTokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 hex digest of the bearer token'),
  }),
});
export type Gateway = z.infer<typeof Gateway>;

export const Point = z
  .object({
    enterpriseId: z.string().min(1),
    code: LocalId.describe('点位编码, unique within the enterprise'),
    name: z.string().min(1),
    kind: z.enum(POINT_KIND_IDS),
    unit: z.string().min(1),
    gatewayId: LocalId,
    range: z
      .object({ min: z.number(), max: z.number() })
      .refine((r) => r.min < r.max, { message: 'range min must be below max', path: ['max'] }),
    limits: Limits.default({}),
    deadband: z.number().nonnegative().optional(),
    onDelayMs: DurationMs.default(0),
    offDelayMs: DurationMs.default(0),
    samplingPeriodMs: DurationMs.min(100).default(10_000),
    area: z.string().optional(),
    equipment: z.string().optional(),
    interlock: z.boolean().default(false),
    votingGroup: LocalId.optional(),
    template: z.string().optional().describe("rule template id; absent = the kind's default"),
    rules: z.array(RuleOverride).default([]).describe('per-point overrides by rule id, or extra rules'),
  })
  .superRefine((p, ctx) => {
    const def = pointKind(p.kind);
    if (def && def.unit !== p.unit)
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: `unit ${p.unit} does not match kind ${p.kind} (${def.unit})`,
      });
    for (const [name, v] of Object.entries(p.limits)) {
      if (v !== undefined && (v < p.range.min || v > p.range.max))
        ctx.addIssue({
          code: 'custom',
          path: ['limits', name],
          message: `limit ${name}=${v} is outside the range ${p.range.min}..${p.range.max}`,
        });
    }
  });
export type Point = z.infer<typeof Point>;

export const pointGlobalId = (enterpriseId: string, code: string) => `${enterpriseId}:${code}`;

/** Checks a point's kind against its enterprise's industries (used by registry validation). */
export function pointKindAllowed(
  point: Pick<Point, 'kind'>,
  enterprise: Pick<Enterprise, 'industries'>,
): boolean {
  const def = pointKind(point.kind);
  return def !== undefined && kindFitsIndustries(def, enterprise.industries);
}

export const RuleTemplate = z.object({
  id: z.string().min(1),
  description: z.string().optional(),
  extends: z.string().optional().describe('parent template id; rules merge by id'),
  rules: z.array(RuleSpec).default([]),
  /** Classification variants: a level shift and rule overrides per class letter. */
  byClassification: z
    .partialRecord(
      ClassCode,
      z.object({
        levelShift: z.number().int().min(-3).max(3).default(0),
        rules: z.array(RuleOverride).default([]),
      }),
    )
    .default({}),
});
export type RuleTemplate = z.infer<typeof RuleTemplate>;

export const EscalationTarget = z.enum(['enterprise', 'county', 'city', 'province']);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const EscalationPolicy = z.object({
  id: z.string().min(1),
  classification: z.array(ClassCode).min(1),
  levels: z.array(AlarmLevel).min(1),
  steps: z
    .array(
      z.object({
        afterMs: DurationMs,
        notify: EscalationTarget,
        unless: z.enum(['acknowledged', 'cleared']).default('acknowledged'),
        roles: z
          .array(DutyRole)
          .min(1)
          .optional()
          .describe('duty roles the step pages (people on duty now); absent = DEFAULT_STEP_ROLES of notify'),
      }),
    )
    .min(1),
  reminder: z
    .object({
      firstMs: DurationMs.min(1000),
      factor: z.number().min(1).default(2),
      maxMs: DurationMs,
      maxCount: z.number().int().min(0).default(5),
    })
    .optional(),
  closedLoop: z
    .object({
      verifyWithinMs: DurationMs,
      disposeWithinMs: DurationMs,
      feedbackWithinMs: DurationMs.optional().describe('反馈 deadline; absent = closeWithinMs'),
      closeWithinMs: DurationMs,
    })
    .refine(
      (l) =>
        l.verifyWithinMs <= l.disposeWithinMs &&
        l.disposeWithinMs <= (l.feedbackWithinMs ?? l.closeWithinMs) &&
        (l.feedbackWithinMs ?? l.closeWithinMs) <= l.closeWithinMs,
      { message: 'closed-loop deadlines must not decrease: verify ≤ dispose ≤ feedback ≤ close' },
    )
    .optional()
    .describe('deadlines of 核实 → 处置 → 反馈 → 销号, each counted from the raise'),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

export const WebhookEventType = z.enum([
  'alarm.raised',
  'alarm.escalated',
  'alarm.reminder',
  'alarm.acknowledged',
  'alarm.resolved',
  'alarm.closed',
  'loop.overdue',
]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const RegionScope = z.object({
  level: z.enum(['province', 'city', 'county', 'enterprise']),
  code: z.string().min(6).describe('administrative code, or enterprise id for level enterprise'),
});
export type RegionScope = z.infer<typeof RegionScope>;

export const WebhookSubscription = z.object({
  id: LocalId,
  name: z.string().min(1),
  scope: RegionScope,
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16).describe('HMAC-SHA256 key; never logged or returned by the API'),
  events: z
    .array(WebhookEventType)
    .min(1)
    .default([...WebhookEventType.options]),
  maxLevel: AlarmLevel.default(4).describe('deliver alarms of this level or more severe'),
  ratePerSecond: z.number().positive().default(10),
  enabled: z.boolean().default(true),
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

/**
 * An external data platform (企业监测平台, 第三方接入平台) that sends telemetry over Kafka for
 * some enterprises. Its Kafka principal is `User:platform-<id>` and it may write only
 * `yj.telemetry.inbound.v1.<id>`; kafka-ingest dead-letters a record of that topic for an
 * enterprise not listed here as `wrong-enterprise` (docs/access-control.md, "Kafka").
 */
export const Platform = z.object({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'lower-case letters, digits and "-" (it names a Kafka topic and principal)',
    ),
  name: z.string().min(1),
  enterprises: z.array(z.string().min(1)).min(1).describe('the enterprises this platform may speak for'),
});
export type Platform = z.infer<typeof Platform>;

/** One registry file: any mix of entities. */
export const RegistryDocument = z.object({
  enterprises: z.array(Enterprise).default([]),
  gateways: z.array(Gateway).default([]),
  points: z.array(Point).default([]),
  templates: z.array(RuleTemplate).default([]),
  policies: z.array(EscalationPolicy).default([]),
  subscriptions: z.array(WebhookSubscription).default([]),
  people: z.array(Person).default([]),
  rosters: z.array(DutyRoster).default([]),
  platforms: z.array(Platform).default([]),
});
export type RegistryDocument = z.infer<typeof RegistryDocument>;

export const RegistryEntityKind = z.enum([
  'enterprise',
  'gateway',
  'point',
  'template',
  'policy',
  'subscription',
  'person',
  'roster',
  'platform',
]);
export type RegistryEntityKind = z.infer<typeof RegistryEntityKind>;

/** Value of a `yj.registry.v1` record (a tombstone is a null value). Every change is versioned. */
export const RegistryRecord = z.object({
  kind: RegistryEntityKind,
  id: z.string().min(1),
  version: z.number().int().positive(),
  changedBy: z.string().min(1),
  changedAt: EpochMs,
  data: z.unknown(),
});
export type RegistryRecord = z.infer<typeof RegistryRecord>;

export const registryKey = (kind: RegistryEntityKind, id: string) => `${kind}/${id}`;
