import { z } from 'zod';

/** Shared building blocks of every contract. */

/** Milliseconds since the Unix epoch (UTC). */
export const EpochMs = z.number().int().nonnegative().describe('milliseconds since the Unix epoch, UTC');

/** ISO-8601 date-time with an explicit offset (Z or ±hh:mm), as gateways send it. */
export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO-8601 date-time with offset');

/** Either form a gateway may use for a timestamp. */
export const Timestamp = z.union([IsoDateTime, EpochMs]);

/** A 6-digit Chinese administrative division code (GB/T 2260). */
export const AdminCode = z.string().regex(/^\d{6}$/, 'expected a 6-digit administrative division code');

/** Alarm levels: 1 = 一级/红 (most severe) … 4 = 四级/蓝. */
export const AlarmLevel = z.number().int().min(1).max(4).describe('1 = 一级/红 (most severe) … 4 = 四级/蓝');
export type AlarmLevel = z.infer<typeof AlarmLevel>;

/** Reading quality as gateways report it. */
export const Quality = z.enum(['good', 'uncertain', 'bad']);
export type Quality = z.infer<typeof Quality>;

/** Industries covered by the Shanxi 冶金工贸 campaign. */
export const Industry = z.enum(['steel', 'aluminium-casting', 'metal-dust', 'wood-dust']);
export type Industry = z.infer<typeof Industry>;

/** The characters of a LocalId; ASCII only, so its length in code points is its `.length`. */
export const LOCAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The longest LocalId. */
export const LOCAL_ID_MAX_LENGTH = 64;

/** Identifier: letters, digits, dot, dash, underscore. No colon (it separates global ids). */
export const LocalId = z
  .string()
  .min(1)
  .max(LOCAL_ID_MAX_LENGTH)
  .regex(LOCAL_ID_PATTERN, 'expected letters, digits, ".", "-" or "_" (no ":" or spaces)');

/** Duration in milliseconds. */
export const DurationMs = z.number().int().nonnegative().describe('duration in milliseconds');

/** Who did something: for audit trails and closed-loop actions. */
export const Role = z.enum(['operator', 'regulator', 'enterprise', 'admin', 'gateway', 'system']);
export type Role = z.infer<typeof Role>;

export const Actor = z.object({
  id: z.string().min(1).max(128),
  role: Role,
  name: z.string().max(128).optional(),
});
export type Actor = z.infer<typeof Actor>;
