import { TELEMETRY_LIMITS } from '@yujing/schemas';
import type { MalformedVariant } from './scenario-schema';
import { isoCst } from './wire-time';

export interface MalformedContext {
  gatewayId: string;
  seq: number;
  nowMs: number;
  /** A real point code of the gateway, so only the intended defect is wrong. */
  point: string;
}

/** Whether a variant can cross the MQTT broker (Mosquitto drops packets above 1 MiB). */
export function fitsMqtt(variant: MalformedVariant): boolean {
  return variant !== 'oversize';
}

/**
 * The bytes of one deliberately bad message. Each variant has exactly one defect, which the
 * ingest service must turn into a dead letter with a specific reason (never a crash, never a
 * silent drop).
 */
export function malformedMessage(variant: MalformedVariant, ctx: MalformedContext): Buffer {
  const reading = { point: ctx.point, ts: isoCst(ctx.nowMs), v: 1, q: 'good' };
  const envelope = (readings: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      v: 1,
      gatewayId: ctx.gatewayId,
      seq: ctx.seq,
      sentAt: isoCst(ctx.nowMs),
      readings,
      ...extra,
    });
  switch (variant) {
    case 'invalid-json':
      return Buffer.from(envelope([reading]).slice(0, 40), 'utf8');
    case 'schema':
      return Buffer.from(
        JSON.stringify({ v: 1, gatewayId: ctx.gatewayId, sentAt: isoCst(ctx.nowMs), readings: [reading] }),
      );
    case 'unknown-point':
      return Buffer.from(envelope([{ ...reading, point: 'NO-SUCH-POINT-404' }]));
    case 'non-finite':
      // JSON.parse turns 1e999 into Infinity: valid JSON, not a finite reading.
      return Buffer.from(envelope([reading]).replace('"v":1,"q"', '"v":1e999,"q"'));
    case 'stale-timestamp':
      return Buffer.from(envelope([{ ...reading, ts: isoCst(ctx.nowMs - 8 * 86_400_000) }]));
    case 'future-timestamp':
      return Buffer.from(envelope([{ ...reading, ts: isoCst(ctx.nowMs + 10 * 60_000) }]));
    case 'too-many-readings':
      return Buffer.from(envelope(Array.from({ length: TELEMETRY_LIMITS.maxReadings + 1 }, () => reading)));
    case 'oversize':
      return Buffer.from(envelope([reading], { padding: 'x'.repeat(TELEMETRY_LIMITS.maxBytes) }));
  }
}
