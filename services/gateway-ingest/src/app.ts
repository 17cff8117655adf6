import { DeadLetterPublisher, LingerProducer, TypedProducer } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { createMetricsRegistry, registerOpsRoutes } from '@yujing/service-runtime';
import {
  DEFAULT_INTAKE_LIMITS,
  GapSweeper,
  type IntakeLimits,
  type IntakeRegistry,
  SequenceTracker,
} from '@yujing/telemetry-intake';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { GatewayIngestConfig } from './config';
import { registerHttpIngest } from './http-ingest-route';
import { createIngestMetrics, type IngestMetrics } from './ingest-metrics';
import { IngestPipeline } from './ingest-pipeline';
import { MqttIntake } from './mqtt-intake';
import { type GatewayListing, TokenIndex } from './token-index';

export interface GatewayIngestDeps {
  config: GatewayIngestConfig;
  logger: Logger;
  kafka: Kafka;
  /** The live registry view (a RegistryStore followed by a RegistryReader). */
  registry: IntakeRegistry & GatewayListing;
  /** True once the registry has caught up (readiness). */
  registryReady: () => boolean;
  limits?: IntakeLimits;
  metricsRegistry?: Registry;
}

export interface GatewayIngest {
  http: FastifyInstance;
  mqtt: MqttIntake;
  metrics: IngestMetrics;
  tracker: SequenceTracker;
  /** Connects Kafka, then MQTT (HTTP is served by whoever listens on `http`). */
  start(): Promise<void>;
  /** Stop intake → drain → close clients (the caller closes `http` first). */
  stop(): Promise<void>;
}

/** Wires gateway-ingest without starting anything (main.ts starts it; tests start it too). */
export async function buildGatewayIngest(deps: GatewayIngestDeps): Promise<GatewayIngest> {
  const { config, logger } = deps;
  const metricsRegistry = deps.metricsRegistry ?? createMetricsRegistry('gateway-ingest');
  const metrics = createIngestMetrics(metricsRegistry);
  const kafkaProducer = new TypedProducer(deps.kafka, { prefix: config.TOPIC_PREFIX });
  const producer = LingerProducer.over(kafkaProducer, {
    prefix: config.TOPIC_PREFIX,
    lingerMs: config.KAFKA_LINGER,
    maxBatchRecords: config.KAFKA_BATCH_MAX_RECORDS,
    maxBatchBytes: config.KAFKA_BATCH_MAX_BYTES,
    maxInFlight: config.KAFKA_MAX_IN_FLIGHT_BATCHES,
    onFlush: (flush) => metrics.produceBatchCalls.observe(flush.calls),
  });
  const tracker = new SequenceTracker({ window: config.REPLAY_WINDOW, gapGraceMs: config.GAP_GRACE });
  const pipeline = new IngestPipeline({
    producer,
    deadLetters: new DeadLetterPublisher(producer),
    registry: deps.registry,
    tracker,
    limits: deps.limits ?? DEFAULT_INTAKE_LIMITS,
    metrics,
    logger,
    reorderHoldMs: config.REORDER_HOLD,
  });
  const mqtt = new MqttIntake({
    url: config.MQTT_URL,
    username: config.MQTT_USERNAME,
    password: config.MQTT_PASSWORD.reveal(),
    clientIdPrefix: config.MQTT_CLIENT_ID,
    shareGroup: config.MQTT_SHARE_GROUP,
    ...(config.MQTT_ENTERPRISES ? { enterprises: config.MQTT_ENTERPRISES } : {}),
    connections: config.MQTT_CONNECTIONS,
    receiveMaximum: config.MQTT_RECEIVE_MAXIMUM,
    sessionExpiryMs: config.MQTT_SESSION_EXPIRY,
    keepaliveMs: config.MQTT_KEEPALIVE,
    qos0: {
      perGateway: config.MQTT_QOS0_MAX_IN_FLIGHT_PER_GATEWAY,
      total: config.MQTT_QOS0_MAX_IN_FLIGHT,
      totalBytes: config.MQTT_QOS0_MAX_BYTES,
    },
    pipeline,
    metrics,
    registry: deps.registry,
    logger,
  });

  let stopping = false;
  const http = Fastify({ logger: false });
  registerOpsRoutes(http, {
    registry: metricsRegistry,
    readiness: {
      registry: deps.registryReady,
      kafka: () => kafkaProducer.connected,
      mqtt: () => mqtt.connected,
    },
    isShuttingDown: () => stopping,
  });
  await registerHttpIngest(http, {
    pipeline,
    tokens: new TokenIndex(deps.registry),
    limits: deps.limits ?? DEFAULT_INTAKE_LIMITS,
    maxInFlight: config.MAX_IN_FLIGHT,
    produceTimeoutMs: config.HTTP_PRODUCE_TIMEOUT,
    metrics,
    logger,
    isStopping: () => stopping,
  });

  const gapSweeper = new GapSweeper({
    tracker,
    publish: (events, signal) => pipeline.publishEvents(events, signal),
    onMissing: (missing) => metrics.seqGaps.inc(missing),
    logger,
    gapGraceMs: config.GAP_GRACE,
  });

  return {
    http,
    mqtt,
    metrics,
    tracker,
    async start() {
      await kafkaProducer.connect();
      await mqtt.start();
      gapSweeper.start();
      logger.info({ topicPrefix: config.TOPIC_PREFIX, mqtt: config.MQTT_URL }, 'gateway-ingest started');
    },
    async stop() {
      stopping = true;
      await mqtt.stop();
      await gapSweeper.stop();
      await kafkaProducer.disconnect();
    },
  };
}
