import { TypedProducer } from '@yujing/kafka';
import type { Kafka } from 'kafkajs';
import type { GatewayEndpoint, TelemetryTransport } from './telemetry-transport';

/** Header naming the enterprise a platform record speaks for (the record key carries it too). */
export const ENTERPRISE_HEADER = 'yj-enterprise-id';

/**
 * A platform-to-platform feed: native v1 messages on `yj.telemetry.inbound.v1`, keyed by
 * enterprise id, for kafka-ingest. No connection status on this path.
 */
export class KafkaTransport implements TelemetryTransport {
  readonly name = 'kafka' as const;
  readonly #producer: TypedProducer;

  constructor(kafka: Kafka, opts: { prefix?: string } = {}) {
    this.#producer = new TypedProducer(kafka, { prefix: opts.prefix ?? '' });
  }

  async open(): Promise<void> {
    await this.#producer.connect();
  }

  async send(gw: GatewayEndpoint, payload: Buffer): Promise<void> {
    await this.#producer.sendEncoded('telemetryInbound', [
      {
        key: gw.enterpriseId,
        value: payload,
        headers: { [ENTERPRISE_HEADER]: gw.enterpriseId, 'yj-gateway-id': gw.gatewayId },
      },
    ]);
  }

  async connectionLost(): Promise<void> {}
  async connectionRestored(): Promise<void> {}

  async close(): Promise<void> {
    await this.#producer.disconnect();
  }
}
