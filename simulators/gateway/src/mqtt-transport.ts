import { gatewayUsername } from '@yujing/broker-auth';
import type { Logger } from '@yujing/logger';
import mqtt, { type MqttClient } from 'mqtt';
import {
  type CredentialsOf,
  endpointKey,
  type GatewayEndpoint,
  type TelemetryTransport,
} from './telemetry-transport';

const topicOf = (gw: GatewayEndpoint, channel: 'telemetry' | 'status') =>
  `yj/v1/${gw.enterpriseId}/${gw.gatewayId}/${channel}`;

/**
 * One MQTT 5 connection per gateway, logged in as the broker-auth username with the gateway's
 * own password, a retained last will `offline` and a retained `online` after connecting.
 * Telemetry goes out at QoS 1; `send` resolves on PUBACK, which gateway-ingest sends only after
 * Kafka has the record, so a slow pipeline slows the simulator instead of losing data.
 */
export class MqttTransport implements TelemetryTransport {
  readonly name = 'mqtt' as const;
  readonly #clients = new Map<string, MqttClient>();
  readonly #log: Logger;

  constructor(
    private readonly opts: {
      url: string;
      credentials: CredentialsOf;
      logger: Logger;
      clientIdPrefix?: string;
    },
  ) {
    this.#log = opts.logger.child({ component: 'mqtt-transport' });
  }

  async open(gateways: readonly GatewayEndpoint[]): Promise<void> {
    await Promise.all(gateways.map((gw) => this.#connect(gw)));
    this.#log.info({ gateways: gateways.length, url: this.opts.url }, 'gateways connected');
  }

  async send(gw: GatewayEndpoint, payload: Buffer): Promise<void> {
    const client = this.#clients.get(endpointKey(gw));
    if (!client) throw new Error(`gateway ${endpointKey(gw)} is not connected`);
    await client.publishAsync(topicOf(gw, 'telemetry'), payload, { qos: 1 });
  }

  async connectionLost(gw: GatewayEndpoint): Promise<void> {
    const client = this.#clients.get(endpointKey(gw));
    this.#clients.delete(endpointKey(gw));
    // Forced end: the socket is destroyed without DISCONNECT, so the broker publishes the will.
    await client?.endAsync(true);
    this.#log.info({ enterpriseId: gw.enterpriseId, gatewayId: gw.gatewayId }, 'gateway connection dropped');
  }

  async connectionRestored(gw: GatewayEndpoint): Promise<void> {
    await this.#connect(gw);
    this.#log.info({ enterpriseId: gw.enterpriseId, gatewayId: gw.gatewayId }, 'gateway reconnected');
  }

  async close(): Promise<void> {
    const all = [...this.#clients.entries()];
    this.#clients.clear();
    await Promise.allSettled(
      all.map(async ([key, client]) => {
        const [enterpriseId, gatewayId] = key.split(':') as [string, string];
        await client.publishAsync(topicOf({ enterpriseId, gatewayId }, 'status'), 'offline', {
          qos: 1,
          retain: true,
        });
        await client.endAsync();
      }),
    );
  }

  async #connect(gw: GatewayEndpoint): Promise<void> {
    const { mqttPassword } = this.opts.credentials(gw.enterpriseId, gw.gatewayId);
    const username = gatewayUsername(gw.enterpriseId, gw.gatewayId);
    const client = await mqtt.connectAsync(this.opts.url, {
      protocolVersion: 5,
      clientId: `${this.opts.clientIdPrefix ?? 'yj-sim'}-${username}`,
      username,
      password: mqttPassword,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      will: { topic: topicOf(gw, 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    client.on('error', (err) =>
      this.#log.warn({ err, enterpriseId: gw.enterpriseId, gatewayId: gw.gatewayId }, 'mqtt client error'),
    );
    await client.publishAsync(topicOf(gw, 'status'), 'online', { qos: 1, retain: true });
    this.#clients.set(endpointKey(gw), client);
  }
}
