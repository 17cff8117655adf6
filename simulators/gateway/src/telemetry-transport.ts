/** A gateway as a transport addresses it. */
export interface GatewayEndpoint {
  enterpriseId: string;
  gatewayId: string;
}

/** Plaintext credentials of a gateway (dev fixtures only: `devGatewayCredentials`). */
export type CredentialsOf = (
  enterpriseId: string,
  gatewayId: string,
) => { mqttPassword: string; httpToken: string };

/**
 * How simulated gateways reach yujing: MQTT (the real path), HTTP, or Kafka
 * `yj.telemetry.inbound.v1` (a platform feed). Thin: the simulation decides what to send.
 */
export interface TelemetryTransport {
  readonly name: 'mqtt' | 'http' | 'kafka';
  /** Connects every gateway and announces it online where the transport has a status. */
  open(gateways: readonly GatewayEndpoint[]): Promise<void>;
  /** Sends one message (valid or deliberately malformed); resolves when the far side has it. */
  send(gw: GatewayEndpoint, payload: Buffer): Promise<void>;
  /** The line drops without a goodbye (MQTT: the broker publishes the last will). */
  connectionLost(gw: GatewayEndpoint): Promise<void>;
  connectionRestored(gw: GatewayEndpoint): Promise<void>;
  /** Says goodbye (retained `offline`) and disconnects everything. */
  close(): Promise<void>;
}

export const endpointKey = (gw: GatewayEndpoint) => `${gw.enterpriseId}:${gw.gatewayId}`;
