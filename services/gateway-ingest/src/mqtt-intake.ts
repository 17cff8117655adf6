import type { Logger } from '@yujing/logger';
import {
  DeliveryAbandoned,
  type IntakeRegistry,
  parseGatewayTopic,
  rejection,
  statusEvent,
} from '@yujing/telemetry-intake';
import mqtt, { type MqttClient } from 'mqtt';
import type { IngestPipeline } from './ingest-pipeline';

export interface MqttIntakeOptions {
  url: string;
  username: string;
  password: string;
  /** Stable per instance; connection i uses `${clientIdPrefix}-${i}`. */
  clientIdPrefix: string;
  shareGroup: string;
  connections: number;
  receiveMaximum: number;
  sessionExpiryMs: number;
  keepaliveMs: number;
  pipeline: IngestPipeline;
  registry: IntakeRegistry;
  logger: Logger;
}

/**
 * The MQTT side: N persistent MQTT 5 sessions in one shared-subscription group on the gateways'
 * telemetry and status topics. Each QoS 1 message is acknowledged (PUBACK via mqtt.js'
 * customHandleAcks) only after its records are on Kafka. mqtt.js handles a connection's packets
 * one at a time and waits for that acknowledgement, so a slow or absent Kafka stops the reading
 * by itself (the broker queues for our session, at most receive-maximum in flight), and it
 * resumes when Kafka answers again. Parallelism = number of connections: the messages in flight
 * across connections share produce requests (the pipeline's LingerProducer), so more connections
 * mean larger, not more, requests.
 */
export class MqttIntake {
  readonly #o: MqttIntakeOptions;
  readonly #log: Logger;
  readonly #clients: MqttClient[] = [];
  readonly #abort = new AbortController();
  #stopping = false;
  #inFlight = 0;

  constructor(opts: MqttIntakeOptions) {
    this.#o = opts;
    this.#log = opts.logger.child({ component: 'mqtt-intake' });
  }

  get connected(): boolean {
    return this.#clients.length > 0 && this.#clients.every((c) => c.connected);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Connects and subscribes every connection; rejects if one cannot within `timeoutMs`. */
  async start(timeoutMs = 30_000): Promise<void> {
    const filters = ['telemetry', 'status'].map((ch) => `$share/${this.#o.shareGroup}/yj/v1/+/+/${ch}`);
    await Promise.all(
      Array.from({ length: this.#o.connections }, async (_, i) => {
        const client = this.#connect(`${this.#o.clientIdPrefix}-${i}`);
        this.#clients.push(client);
        await waitConnected(client, timeoutMs);
        await client.subscribeAsync(filters, { qos: 1 });
      }),
    );
    this.#log.info({ connections: this.#o.connections, filters }, 'subscribed');
  }

  /**
   * Stop intake (new messages stay unacknowledged: the broker redelivers them), let in-flight
   * messages reach Kafka for up to `drainMs`, abandon the rest unacknowledged, then disconnect.
   */
  async stop(drainMs = 10_000): Promise<void> {
    this.#stopping = true;
    const deadline = Date.now() + drainMs;
    while (this.#inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    this.#abort.abort('shutdown');
    await Promise.all(this.#clients.map((c) => c.endAsync(true).catch(() => undefined)));
    this.#log.info({ abandoned: this.#inFlight }, 'mqtt intake stopped');
  }

  #connect(clientId: string): MqttClient {
    const client = mqtt.connect(this.#o.url, {
      protocolVersion: 5,
      clientId,
      username: this.#o.username,
      password: this.#o.password,
      clean: false,
      keepalive: Math.round(this.#o.keepaliveMs / 1000),
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      properties: {
        sessionExpiryInterval: Math.round(this.#o.sessionExpiryMs / 1000),
        receiveMaximum: this.#o.receiveMaximum,
      },
      customHandleAcks: (topic, payload, _packet, ack) => {
        if (this.#stopping) return; // never acknowledged: redelivered after we are gone
        this.#inFlight++;
        this.#handle(topic, payload)
          .then(
            () => ack(0),
            (err) => {
              if (!(err instanceof DeliveryAbandoned))
                this.#log.error({ err, topic }, 'message handling failed; not acknowledged');
            },
          )
          .finally(() => this.#inFlight--);
      },
    });
    const log = this.#log.child({ clientId });
    client.on('connect', (connack) => log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected'));
    client.on('reconnect', () => log.debug('mqtt reconnecting'));
    client.on('offline', () => log.warn('mqtt offline'));
    client.on('error', (err) => log.error({ err }, 'mqtt error'));
    // QoS 0 messages bypass customHandleAcks (nothing to acknowledge): handle them too.
    client.on('message', (topic, payload, packet) => {
      if (packet.qos === 0 && !this.#stopping) {
        this.#handle(topic, payload).catch((err) => log.error({ err, topic }, 'QoS 0 message lost'));
      }
    });
    return client;
  }

  async #handle(topic: string, payload: Buffer): Promise<void> {
    const signal = this.#abort.signal;
    const parsed = parseGatewayTopic(topic);
    if (!parsed) {
      const r = rejection(
        'unsupported-format',
        `topic ${topic} is not yj/v1/<enterprise>/<gateway>/(telemetry|status)`,
      );
      return this.#o.pipeline.deadLetter(r, payload, 'mqtt', { topic }, signal);
    }
    const { enterpriseId, gatewayId } = parsed;
    if (parsed.channel === 'telemetry') {
      await this.#o.pipeline.ingest(payload, { source: 'mqtt', enterpriseId, gatewayId }, { topic }, signal);
      return;
    }
    if (!this.#o.registry.gateway(enterpriseId, gatewayId)) {
      const r = rejection('unknown-gateway', `status of unregistered gateway ${enterpriseId}/${gatewayId}`);
      return this.#o.pipeline.deadLetter(r, payload, 'mqtt', { topic, enterpriseId, gatewayId }, signal);
    }
    const event = statusEvent(enterpriseId, gatewayId, payload, Date.now());
    if (!event) {
      const r = rejection('schema', 'status payload is not online/offline or {"status": …}', [
        { path: '(root)', message: 'expected "online" or "offline"', code: 'invalid_value' },
      ]);
      return this.#o.pipeline.deadLetter(r, payload, 'mqtt', { topic, enterpriseId, gatewayId }, signal);
    }
    await this.#o.pipeline.publishEvents([event], signal);
  }
}

function waitConnected(client: MqttClient, timeoutMs: number): Promise<void> {
  if (client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (err: Error) => {
      lastError = err;
    };
    const timer = setTimeout(() => {
      client.off('connect', onConnect);
      client.off('error', onError);
      reject(
        new Error(`MQTT not connected within ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`),
      );
    }, timeoutMs);
    function onConnect() {
      clearTimeout(timer);
      client.off('error', onError);
      resolve();
    }
    client.once('connect', onConnect);
    client.on('error', onError);
  });
}
