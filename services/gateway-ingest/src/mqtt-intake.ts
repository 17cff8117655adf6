import { createHmac } from 'node:crypto';
import type { Logger } from '@yujing/logger';
import {
  DeliveryAbandoned,
  type IntakeRegistry,
  parseGatewayTopic,
  rejection,
  statusEvent,
} from '@yujing/telemetry-intake';
import mqtt, { type MqttClient } from 'mqtt';
import type { IngestMetrics } from './ingest-metrics';
import type { IngestPipeline } from './ingest-pipeline';
import { Qos0Admission, type Qos0Limits } from './qos0-admission';

export interface MqttIntakeOptions {
  url: string;
  username: string;
  password: string;
  /** Stable per instance; connection i uses `${clientIdPrefix}-${secret suffix}-${i}` (see mqttClientId). */
  clientIdPrefix: string;
  shareGroup: string;
  /** Subscribe to these enterprises' topics only; all enterprises when absent. */
  enterprises?: readonly string[];
  connections: number;
  receiveMaximum: number;
  sessionExpiryMs: number;
  keepaliveMs: number;
  qos0: Qos0Limits;
  pipeline: IngestPipeline;
  metrics: IngestMetrics;
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
  readonly #qos0: Qos0Admission;
  /** When each gateway's last QoS 0 drop was dead-lettered (one notice per gateway per minute). */
  readonly #dropNoticeAt = new Map<string, number>();
  #stopping = false;
  #inFlight = 0;
  /** The shared-subscription filters, subscribed again on every reconnect (see #connect). */
  #filters: string[] = [];

  constructor(opts: MqttIntakeOptions) {
    this.#o = opts;
    this.#log = opts.logger.child({ component: 'mqtt-intake' });
    this.#qos0 = new Qos0Admission(opts.qos0);
  }

  get connected(): boolean {
    return this.#clients.length > 0 && this.#clients.every((c) => c.connected);
  }

  /** The client ids of this instance's connections (tests; never logged with the password). */
  get clientIds(): string[] {
    return this.#clients.map((c) => c.options.clientId ?? '');
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Connects and subscribes every connection; rejects if one cannot within `timeoutMs`. */
  async start(timeoutMs = 30_000): Promise<void> {
    const roots = this.#o.enterprises?.length ? this.#o.enterprises : ['+'];
    const filters = roots.flatMap((e) =>
      ['telemetry', 'status'].map((ch) => `$share/${this.#o.shareGroup}/yj/v1/${e}/+/${ch}`),
    );
    this.#filters = filters;
    await Promise.all(
      Array.from({ length: this.#o.connections }, async (_, i) => {
        const client = this.#connect(mqttClientId(this.#o.clientIdPrefix, this.#o.password, i));
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
    const log = this.#log.child({ connection: clientId.slice(clientId.lastIndexOf('-') + 1) });
    let wasConnected = false;
    let connects = 0;
    client.on('connect', (connack) => {
      wasConnected = true;
      log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
      // After a broker crash (kill -9) Mosquitto restores our session from its last autosave and
      // answers sessionPresent without the shared subscription, so mqtt.js does not resubscribe and
      // nothing arrives any more (the fault matrix, docs/reliability.md). Subscribing again is idempotent.
      if (connects++ > 0 && this.#filters.length > 0)
        client.subscribe(this.#filters, { qos: 1 }, (err) => {
          if (err) log.error({ err }, 'resubscribe after reconnect failed');
        });
    });
    client.on('close', () => {
      if (!wasConnected || this.#stopping) return;
      wasConnected = false;
      this.#o.metrics.mqttDisconnects.inc();
    });
    client.on('disconnect', (packet) =>
      log.warn({ reasonCode: packet.reasonCode }, 'broker disconnected us'),
    );
    client.on('reconnect', () => log.debug('mqtt reconnecting'));
    client.on('offline', () => log.warn('mqtt offline'));
    client.on('error', (err) => log.error({ err }, 'mqtt error'));
    // QoS 0 messages bypass customHandleAcks (nothing to acknowledge): handle them too, capped.
    client.on('message', (topic, payload, packet) => {
      if (packet.qos === 0 && !this.#stopping) this.#handleQos0(topic, payload, log);
    });
    return client;
  }

  /** A QoS 0 message is handled only within the caps (Qos0Admission); the excess is dropped and counted. */
  #handleQos0(topic: string, payload: Buffer, log: Logger): void {
    const parsed = parseGatewayTopic(topic);
    const gateway = parsed ? `${parsed.enterpriseId}/${parsed.gatewayId}` : topic;
    const verdict = this.#qos0.admit(gateway, payload.length);
    if (verdict !== 'admitted') {
      this.#o.metrics.qos0Dropped.inc({ reason: verdict });
      this.#noticeDrop(gateway, topic, payload, verdict, parsed);
      return;
    }
    this.#inFlight++;
    this.#o.metrics.qos0InFlight.set(this.#qos0.inFlight);
    this.#handle(topic, payload)
      .catch((err) => {
        if (!(err instanceof DeliveryAbandoned)) log.error({ err, topic }, 'QoS 0 message lost');
      })
      .finally(() => {
        this.#inFlight--;
        this.#qos0.release(gateway, payload.length);
        this.#o.metrics.qos0InFlight.set(this.#qos0.inFlight);
      });
  }

  /**
   * Dead-letters a dropped QoS 0 message as `qos0-overload`, at most once per gateway per minute
   * and only while the total cap has room: the notice must not be a flood of its own.
   */
  #noticeDrop(
    gateway: string,
    topic: string,
    payload: Buffer,
    verdict: Exclude<ReturnType<Qos0Admission['admit']>, 'admitted'>,
    parsed: ReturnType<typeof parseGatewayTopic>,
  ): void {
    const now = Date.now();
    const last = this.#dropNoticeAt.get(gateway);
    if (last !== undefined && now - last < DROP_NOTICE_INTERVAL_MS) return;
    if (this.#dropNoticeAt.size >= 10_000) {
      for (const [g, at] of this.#dropNoticeAt)
        if (now - at >= DROP_NOTICE_INTERVAL_MS) this.#dropNoticeAt.delete(g);
      if (this.#dropNoticeAt.size >= 10_000) return;
    }
    const noticeKey = '(qos0 drop notices)';
    if (this.#qos0.admit(noticeKey, payload.length) !== 'admitted') return;
    this.#dropNoticeAt.set(gateway, now);
    const r = rejection(
      'qos0-overload',
      `QoS 0 message dropped (${verdict}): the gateway publishes QoS 0 faster than Kafka takes it; publish at QoS 1`,
    );
    this.#o.pipeline
      .deadLetter(
        r,
        payload,
        'mqtt',
        { topic, enterpriseId: parsed?.enterpriseId, gatewayId: parsed?.gatewayId, qos: '0', limit: verdict },
        this.#abort.signal,
      )
      .catch(() => undefined)
      .finally(() => this.#qos0.release(noticeKey, payload.length));
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

const DROP_NOTICE_INTERVAL_MS = 60_000;

/**
 * The client id of connection `i`: the configured prefix (stable per instance, readable in the
 * broker's log), a suffix derived from the service account's password (unguessable without it,
 * yet the same after a restart, so the broker's persistent session, with its unacknowledged
 * QoS 1 messages, is resumed: a fresh random id per start would leave the old session holding
 * its queue until it expires) and the connection number.
 */
export function mqttClientId(prefix: string, password: string, i: number): string {
  const suffix = createHmac('sha256', password).update(`yujing mqtt client id:${prefix}`).digest('base64url');
  return `${prefix}-${suffix.slice(0, 22)}-${i}`;
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
