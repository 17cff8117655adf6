import { AlarmKind, AlarmState, AlarmTransitionEvent, DeliveryRecord } from '@yujing/schemas';
import { z } from 'zod';
import { ProblemDetails } from './problem-details';

/** Shared request/response schemas of the API (OpenAPI components come from these). */

/** `a,b,c` in a query string → a validated array. */
export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(item).min(1));

export const levelCsv = csv(
  z
    .string()
    .regex(/^[1-4]$/, 'expected a level 1–4')
    .transform(Number),
);
export const stateCsv = csv(AlarmState);
export const kindCsv = csv(AlarmKind);

/** Latest accepted time: 9999-12-31T23:59:59.999Z. Beyond it QuestDB and Date cannot represent the value. */
const MAX_TIME_MS = 253_402_300_799_999;

/** ISO-8601 with offset or epoch ms (1970 … 9999), to epoch ms. */
export const TimeParam = z
  .string()
  .transform((s, ctx) => {
    const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(ms) || (!/^\d+$/.test(s) && !/(Z|[+-]\d{2}:\d{2})$/.test(s))) {
      ctx.addIssue({ code: 'custom', message: 'expected epoch ms or ISO-8601 with offset' });
      return z.NEVER;
    }
    if (ms < 0 || ms > MAX_TIME_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a time from 1970 to 9999 (epoch ms 0 … ${MAX_TIME_MS})`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .describe('epoch ms or ISO-8601 date-time with offset');

/** A time in a JSON body: epoch ms, or a string TimeParam accepts. */
export const BodyTime = z
  .union([z.number().int().min(0).max(MAX_TIME_MS), TimeParam])
  .describe('epoch ms or ISO-8601 date-time with offset');

export const AlarmView = AlarmTransitionEvent.meta({ id: 'AlarmTransition' });
export const DeliveryView = DeliveryRecord.meta({ id: 'DeliveryAttempt' });

export const errorResponses = {
  400: ProblemDetails,
  401: ProblemDetails,
  403: ProblemDetails,
  404: ProblemDetails,
  429: ProblemDetails,
  503: ProblemDetails,
} as const;

export const AlarmIdParams = z.object({
  id: z.string().min(3).max(300).describe('{enterpriseId}:{point}:{rule}:{episodeStart}'),
});
