import { z } from 'zod';
import { Actor, AdminCode, AlarmLevel, DurationMs, EpochMs, LocalId } from './primitives';

/** ISA-18.2 states plus suppression, out-of-service and shelving. */
export const AlarmState = z.enum([
  'normal',
  'active-unack',
  'active-ack',
  'rtn-unack',
  'shelved',
  'suppressed',
  'out-of-service',
]);
export type AlarmState = z.infer<typeof AlarmState>;

/** The regulatory closed loop on top (推送 → 核实 → 处置 → 反馈 → 销号); docs/closed-loop.md. */
export const LoopState = z.enum(['open', 'verified', 'disposed', 'fed-back', 'closed']);
export type LoopState = z.infer<typeof LoopState>;

/** The steps of the closed loop, in order: 核实, 处置, 反馈, 销号. */
export const LoopStep = z.enum(['verify', 'dispose', 'feedback', 'close']);
export type LoopStep = z.infer<typeof LoopStep>;

/** A file attached to a closed-loop step, by reference (the file itself lives in the document store). */
export const Attachment = z.object({
  name: z.string().min(1).max(200).describe('file name shown to people, e.g. 现场照片-1.jpg'),
  ref: z.string().min(1).max(1000).describe('URI or document-store key of the file'),
  mediaType: z.string().max(100).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'expected a sha256 hex digest')
    .optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const AlarmKind = z.enum([
  'threshold',
  'rate-of-change',
  'trend',
  'no-data',
  'gateway-offline',
  'sensor-fault',
  'combination',
  'vote',
]);
export type AlarmKind = z.infer<typeof AlarmKind>;

export const AlarmTransition = z.enum([
  'raise',
  'escalate',
  'deescalate',
  'ack',
  'rtn',
  'clear',
  'shelve',
  'unshelve',
  'shelve-expired',
  'suppress',
  'unsuppress',
  'out-of-service',
  'in-service',
  'chatter',
  'verify',
  'dispose',
  'feedback',
  'close',
  'comment',
  'loop-overdue',
]);
export type AlarmTransition = z.infer<typeof AlarmTransition>;

/** One alarm transition on `yj.alarms.v1` (DESIGN §5). `seq` orders the transitions of one alarm. */
export const AlarmTransitionEvent = z.object({
  alarmId: z.string().min(1).describe('{enterpriseId}:{point}:{rule}:{episodeStart}'),
  enterpriseId: z.string().min(1),
  point: z
    .string()
    .min(1)
    .describe('point code, or vote:<group> / gateway:<id> for group and gateway alarms'),
  rule: LocalId,
  kind: AlarmKind,
  level: AlarmLevel,
  state: AlarmState,
  loop: LoopState.default('open'),
  transition: AlarmTransition,
  value: z.number().nullable(),
  limit: z.number().nullable(),
  eventTime: EpochMs.describe('sensor time (event time) of what caused the transition'),
  emittedAt: EpochMs,
  episodeStart: EpochMs,
  actor: Actor.optional(),
  comment: z.string().max(2000).optional(),
  attachments: z.array(Attachment).max(20).optional().describe('files of a closed-loop step, by reference'),
  loopDue: z
    .object({ step: LoopStep, dueAt: EpochMs })
    .optional()
    .describe('the next closed-loop step and its deadline (on loop steps and loop-overdue)'),
  shelvedUntil: EpochMs.optional(),
  region: z.object({ city: AdminCode, county: AdminCode }).optional(),
  seq: z.number().int().nonnegative(),
});
export type AlarmTransitionEvent = z.infer<typeof AlarmTransitionEvent>;

export const AlarmAction = z.enum([
  'ack',
  'shelve',
  'unshelve',
  'verify',
  'dispose',
  'feedback',
  'close',
  'comment',
  'suppress',
  'unsuppress',
  'out-of-service',
  'in-service',
]);
export type AlarmAction = z.infer<typeof AlarmAction>;

/** An operator action on `yj.alarm-commands.v1`, executed by the rules-worker owning the alarm. */
export const AlarmCommand = z
  .object({
    commandId: z.string().min(8).max(64).describe('idempotency key chosen by the sender'),
    alarmId: z.string().min(1),
    enterpriseId: z.string().min(1),
    action: AlarmAction,
    actor: Actor,
    reason: z.string().max(500).optional(),
    comment: z.string().max(2000).optional(),
    attachments: z.array(Attachment).max(20).optional().describe('files of a closed-loop step, by reference'),
    durationMs: DurationMs.optional().describe('shelve duration'),
    issuedAt: EpochMs,
  })
  .refine((c) => c.action !== 'shelve' || (c.durationMs !== undefined && c.reason !== undefined), {
    message: 'shelve needs durationMs and reason',
    path: ['durationMs'],
  })
  .refine((c) => c.action !== 'comment' || (c.comment?.length ?? 0) > 0, {
    message: 'comment needs text',
    path: ['comment'],
  })
  .refine((c) => c.action !== 'feedback' || (c.comment?.length ?? 0) > 0, {
    message: 'feedback (反馈) needs a text saying what was done and found',
    path: ['comment'],
  });
export type AlarmCommand = z.infer<typeof AlarmCommand>;

/** The outcome of a command (applied or refused with a reason), on `yj.alarm-command-results.v1`. */
export const AlarmCommandResult = z.object({
  commandId: z.string(),
  alarmId: z.string(),
  enterpriseId: z.string(),
  ok: z.boolean(),
  code: z.string().optional().describe('YJ_ERR_* when refused'),
  message: z.string().optional(),
  at: EpochMs,
});
export type AlarmCommandResult = z.infer<typeof AlarmCommandResult>;
