import type { Rejection } from '@yujing/telemetry-intake';

/** One record of `yj.telemetry.inbound.v1`, as an adapter sees it. */
export interface InboundRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** What an adapter makes of a record: the enterprise it speaks for and a native v1 message. */
export type DecodedTelemetry = { enterpriseId: string; message: Buffer | unknown } | { rejection: Rejection };

/**
 * A platform format. The first adapter whose `canDecode` says yes decodes the record into the
 * native v1 message (bytes or an object), which then passes the same validation as MQTT/HTTP.
 * Adapters never validate readings themselves; they only translate.
 */
export interface TelemetryAdapter {
  readonly name: string;
  canDecode(record: InboundRecord): boolean;
  decode(record: InboundRecord): DecodedTelemetry;
}
