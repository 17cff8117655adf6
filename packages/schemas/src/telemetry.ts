import { z } from 'zod';
import { EpochMs, LocalId, Quality, Timestamp } from './primitives';

/** Limits of one gateway message (DESIGN §3). */
export const TELEMETRY_LIMITS = Object.freeze({ maxBytes: 1024 * 1024, maxReadings: 5000 });

/** One reading as the gateway sends it. Values are finite numbers; digital inputs are 0/1. */
export const NativeReading = z.object({
  point: LocalId.describe('enterprise-local point code (点位编码)'),
  ts: Timestamp.describe('sensor timestamp: ISO-8601 with offset, or epoch ms'),
  v: z.number().describe('finite value in the point unit; digital inputs 0 or 1'),
  q: Quality.default('good'),
});
export type NativeReading = z.infer<typeof NativeReading>;

/** The native telemetry message, format v1 (MQTT `yj/v1/{enterpriseId}/{gatewayId}/telemetry` or HTTP). */
export const TelemetryMessageV1 = z
  .object({
    v: z.literal(1),
    gatewayId: LocalId,
    seq: z.number().int().nonnegative().describe('monotonic per gateway'),
    sentAt: Timestamp,
    readings: z.array(NativeReading).min(1).max(TELEMETRY_LIMITS.maxReadings),
  })
  .describe('yujing native gateway telemetry, format v1');
export type TelemetryMessageV1 = z.infer<typeof TelemetryMessageV1>;

/** A normalised reading: UTC epoch ms, point kind resolved from the registry. */
export const NormalisedReading = z.object({
  point: LocalId,
  kind: z.string().min(1),
  ts: EpochMs,
  v: z.number(),
  q: Quality,
});
export type NormalisedReading = z.infer<typeof NormalisedReading>;

export const IngestSource = z.enum(['mqtt', 'http', 'kafka', 'simulator']);
export type IngestSource = z.infer<typeof IngestSource>;

/** One Kafka record on `yj.readings.v1`: the valid readings of one gateway message. */
export const ReadingBatch = z.object({
  v: z.literal(1),
  enterpriseId: z.string().min(1),
  gatewayId: LocalId,
  seq: z.number().int().nonnegative(),
  source: IngestSource,
  sentAt: EpochMs,
  receivedAt: EpochMs,
  readings: z.array(NormalisedReading).min(1),
});
export type ReadingBatch = z.infer<typeof ReadingBatch>;

/** Gateway lifecycle and sequence events, on `yj.gateway-events.v1`. */
export const GatewayEvent = z.object({
  enterpriseId: z.string().min(1),
  gatewayId: LocalId,
  type: z.enum(['online', 'offline', 'seq-gap', 'seq-reset']),
  reason: z.enum(['status-message', 'last-will', 'first-message', 'sequence', 'no-data']),
  at: EpochMs,
  detail: z
    .object({ expectedSeq: z.number().int().optional(), gotSeq: z.number().int().optional() })
    .optional(),
});
export type GatewayEvent = z.infer<typeof GatewayEvent>;

/** Retained gateway status payload on `yj/v1/{enterpriseId}/{gatewayId}/status`. */
export const GatewayStatusPayload = z.union([
  z.enum(['online', 'offline']),
  z.object({ status: z.enum(['online', 'offline']), at: Timestamp.optional() }),
]);
export type GatewayStatusPayload = z.infer<typeof GatewayStatusPayload>;
