import { type GatewayEvent, GatewayStatusPayload } from '@yujing/schemas';

/**
 * A retained `status` message (`online`/`offline`, bare or as `{status, at}`) as a GatewayEvent.
 * By convention a gateway's last will is `offline` and it publishes `online` after connecting,
 * so `offline` is attributed to the last will (a gateway that disconnects cleanly publishes
 * `offline` itself first; the event is the same). Undefined when the payload is not a status.
 */
export function statusEvent(
  enterpriseId: string,
  gatewayId: string,
  payload: Buffer,
  receivedAt: number,
): GatewayEvent | undefined {
  const text = payload.toString('utf8').trim();
  let value: unknown = text;
  if (text.startsWith('{') || text.startsWith('"')) {
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  const parsed = GatewayStatusPayload.safeParse(value);
  if (!parsed.success) return undefined;
  const status = typeof parsed.data === 'string' ? parsed.data : parsed.data.status;
  return {
    enterpriseId,
    gatewayId,
    type: status,
    reason: status === 'online' ? 'status-message' : 'last-will',
    at: receivedAt,
  };
}
