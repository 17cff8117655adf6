import { z } from 'zod';
import { AlarmLevel, LOCAL_ID_PATTERN } from './primitives';

/**
 * People, their notification channels and on-call rosters (registry kinds `person` and
 * `roster`): who an escalation step reaches, through which channel, and when they are on duty.
 * Rosters and quiet hours are wall-clock times in Asia/Shanghai (UTC+8, no daylight saving).
 */

/** The only time zone rosters use: mainland China has one civil time, UTC+8 all year. */
export const ROSTER_TIME_ZONE = 'Asia/Shanghai';

/** Duty roles an escalation step pages (岗位). */
export const DutyRole = z.enum([
  'enterprise-safety-manager', // 企业安全负责人
  'enterprise-duty-operator', // 企业值班员
  'county-duty-officer', // 县（区）应急管理局值班员
  'city-duty-officer', // 市应急管理局值班员
  'province-duty-officer', // 省应急管理厅值班员
]);
export type DutyRole = z.infer<typeof DutyRole>;

/** Where a person or roster is on duty: an enterprise (its id) or an administrative region (its code). */
export const DutyScope = z.object({
  level: z.enum(['enterprise', 'county', 'city', 'province']),
  code: z.string().min(6).describe('enterprise id for level enterprise, else the administrative code'),
});
export type DutyScope = z.infer<typeof DutyScope>;

/** Short ids, so `person.<personId>.<channelId>` (the delivery's recipient id) stays a LocalId. */
const PersonId = z
  .string()
  .min(1)
  .max(40)
  .regex(LOCAL_ID_PATTERN, 'expected letters, digits, ".", "-" or "_"');
const ChannelId = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, "-" or "_" (no ".")');

/** Local wall-clock time HH:MM (24 h). */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');

const Phone = z
  .string()
  .regex(/^\+?\d{5,20}$/, 'expected a phone number of digits, optionally with a leading +');

const channelBase = {
  id: ChannelId,
  maxLevel: AlarmLevel.default(4).describe('use this channel for alarms of this level or more severe'),
};

/** One way to reach a person. Secrets (robot sign secret, webhook key) are never logged or returned. */
export const ContactChannel = z.discriminatedUnion('kind', [
  z.object({
    ...channelBase,
    kind: z.literal('dingtalk'),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .describe(
        'custom robot URL with access_token, e.g. https://oapi.dingtalk.com/robot/send?access_token=…',
      ),
    secret: z.string().min(16).optional().describe('加签 secret (SEC…); absent = robot without signing'),
    atMobiles: z.array(Phone).default([]).describe('phones to @ in the group'),
  }),
  z.object({
    ...channelBase,
    kind: z.literal('wecom'),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .describe('group robot URL with key, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'),
  }),
  z.object({ ...channelBase, kind: z.literal('sms'), phone: Phone }),
  z.object({ ...channelBase, kind: z.literal('voice'), phone: Phone }),
  z.object({ ...channelBase, kind: z.literal('email'), address: z.email() }),
]);
export type ContactChannel = z.infer<typeof ContactChannel>;
export type ChannelKind = ContactChannel['kind'];

/**
 * Quiet hours: alarms of the listed levels are not sent to this person between start and end
 * (Asia/Shanghai; end ≤ start spans midnight). Level 1 is always delivered, so it may not be listed.
 */
export const QuietHours = z.object({
  start: ClockTime,
  end: ClockTime,
  levels: z
    .array(AlarmLevel)
    .min(1)
    .refine((ls) => !ls.includes(1), {
      message: 'level 1 alarms are always delivered; quiet hours cannot hold them',
    }),
});
export type QuietHours = z.infer<typeof QuietHours>;

export const Person = z
  .object({
    id: PersonId,
    name: z.string().min(1),
    scope: DutyScope,
    roles: z.array(DutyRole).min(1),
    channels: z.array(ContactChannel).min(1),
    quietHours: z.array(QuietHours).default([]),
    enabled: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.channels.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'id'],
          message: `duplicate channel id ${c.id}`,
        });
      seen.add(c.id);
    });
  });
export type Person = z.infer<typeof Person>;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const IsoWeekday = z.number().int().min(1).max(7);

/** A recurring shift: on each listed weekday from start to end (end ≤ start ends the next day). */
export const Shift = z.object({
  personId: PersonId,
  days: z.array(IsoWeekday).min(1).default([1, 2, 3, 4, 5, 6, 7]),
  start: ClockTime,
  end: ClockTime,
});
export type Shift = z.infer<typeof Shift>;

/** A one-off replacement (调班): this person is on duty from..to instead of the regular shifts. */
export const RosterOverride = z
  .object({
    personId: PersonId,
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((o) => Date.parse(o.from) < Date.parse(o.to), { message: 'from must be before to', path: ['to'] });
export type RosterOverride = z.infer<typeof RosterOverride>;

/** Who holds one duty role for one scope, when (值班表). */
export const DutyRoster = z.object({
  id: z.string().min(1).max(64).regex(LOCAL_ID_PATTERN),
  scope: DutyScope,
  role: DutyRole,
  timeZone: z.literal(ROSTER_TIME_ZONE).default(ROSTER_TIME_ZONE),
  shifts: z.array(Shift).default([]),
  overrides: z.array(RosterOverride).default([]),
});
export type DutyRoster = z.infer<typeof DutyRoster>;

/**
 * Roles a step paging `target` reaches when the policy step names none: the enterprise's
 * safety manager and duty operator, else the duty officer of the region (应急值守 chain).
 */
export const DEFAULT_STEP_ROLES: Record<DutyScope['level'], readonly DutyRole[]> = {
  enterprise: ['enterprise-safety-manager', 'enterprise-duty-operator'],
  county: ['county-duty-officer'],
  city: ['city-duty-officer'],
  province: ['province-duty-officer'],
};
