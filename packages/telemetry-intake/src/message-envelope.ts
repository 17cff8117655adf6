import {
  isLocalId,
  isNonNegativeSafeInt,
  isObjectLike,
  isTimestamp,
  LocalId,
  Timestamp,
} from '@yujing/schemas';
import { z } from 'zod';

/** The message envelope; readings are checked one by one so valid ones survive a bad neighbour. */
export const Envelope = z.object({
  v: z.literal(1),
  gatewayId: LocalId,
  seq: z.number().int().nonnegative(),
  sentAt: Timestamp,
  readings: z.array(z.unknown()).min(1),
  /** Optional claim; when present it must match the transport's enterprise (defence in depth). */
  enterpriseId: z.string().optional(),
});
export type Envelope = z.infer<typeof Envelope>;

/**
 * The envelope without zod for the common valid message: a value only when `Envelope` would
 * accept the input and return a deep-equal value, else undefined (then ask zod, which also
 * names the issues). An `enterpriseId` key present with the value undefined is left to zod.
 */
export function fastEnvelope(x: unknown): Envelope | undefined {
  if (!isObjectLike(x)) return undefined;
  const { v, gatewayId, seq, sentAt, readings, enterpriseId } = x;
  if (v !== 1 || !isLocalId(gatewayId) || !isNonNegativeSafeInt(seq) || !isTimestamp(sentAt))
    return undefined;
  if (!Array.isArray(readings) || readings.length === 0) return undefined;
  // zod copies the array element by element (a hole becomes undefined); so does this
  const copy: unknown[] = [];
  for (let i = 0; i < readings.length; i++) copy.push(readings[i]);
  if (enterpriseId === undefined) {
    return 'enterpriseId' in x ? undefined : { v, gatewayId, seq, sentAt, readings: copy };
  }
  if (typeof enterpriseId !== 'string') return undefined;
  return { v, gatewayId, seq, sentAt, readings: copy, enterpriseId };
}
