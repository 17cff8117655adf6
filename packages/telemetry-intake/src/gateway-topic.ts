/**
 * MQTT topics of the native format (DESIGN §3): `yj/v1/{enterpriseId}/{gatewayId}/{channel}`.
 */
export const GATEWAY_CHANNELS = ['telemetry', 'status'] as const;
export type GatewayChannel = (typeof GATEWAY_CHANNELS)[number];

/** The root every topic of one gateway lives under (its ACL grant is `<root>/#`). */
export function gatewayTopicRoot(enterpriseId: string, gatewayId: string): string {
  return `yj/v1/${enterpriseId}/${gatewayId}`;
}

export function gatewayTopic(enterpriseId: string, gatewayId: string, channel: GatewayChannel): string {
  return `${gatewayTopicRoot(enterpriseId, gatewayId)}/${channel}`;
}

export interface ParsedGatewayTopic {
  enterpriseId: string;
  gatewayId: string;
  channel: GatewayChannel;
}

/** Parses a delivered topic; undefined when it is not one of ours (wrong depth, version or channel). */
export function parseGatewayTopic(topic: string): ParsedGatewayTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'yj' || parts[1] !== 'v1') return undefined;
  const [, , enterpriseId, gatewayId, channel] = parts as [string, string, string, string, string];
  if (!enterpriseId || !gatewayId) return undefined;
  if (!(GATEWAY_CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { enterpriseId, gatewayId, channel: channel as GatewayChannel };
}
