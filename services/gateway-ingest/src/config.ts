import {
  durationMs,
  intVar,
  KAFKA_SECURITY_ENV,
  listVar,
  logLevelVar,
  portVar,
  secretVar,
} from '@yujing/config';
import { z } from 'zod';

/** gateway-ingest configuration, read once from the environment in main.ts. */
export const GatewayIngestConfig = z.object({
  /** Host the HTTP server binds to (ingest API and ops routes share it). */
  HTTP_HOST: z
    .string()
    .default('127.0.0.1')
    .describe('bind address of the HTTP server (ingest + /healthz, /readyz, /metrics)'),
  /** DESIGN §9: gateway-ingest HTTP on 8081. */
  HTTP_PORT: portVar().default(8081).describe('port of POST /ingest/v1/telemetry and the ops routes'),
  /** Kafka bootstrap servers. */
  KAFKA_BROKERS: listVar().describe('comma separated Kafka bootstrap servers, e.g. 127.0.0.1:9092'),
  ...KAFKA_SECURITY_ENV,
  /** '' in production; tests isolate themselves with a unique prefix. */
  TOPIC_PREFIX: z.string().default('').describe('prefix of every Kafka topic name (tests use a unique one)'),
  /** yujing's own Mosquitto, its service-accounts listener (gateways use another, docs/access-control.md). */
  MQTT_URL: z
    .string()
    .default('mqtt://127.0.0.1:1885')
    .describe("broker URL of the service accounts' listener (mqtt:// or mqtts://)"),
  /** The service account (read on yj/v1/#), kept by broker-auth in every generated passwd/ACL. */
  MQTT_USERNAME: z.string().min(1).default('yujing-ingest').describe('MQTT service account username'),
  MQTT_PASSWORD: secretVar().describe('MQTT service account password (secret, never logged)'),
  /**
   * Stable per instance: the broker keeps unacknowledged messages of this session while we are
   * down. Each connection's id adds a suffix derived from MQTT_PASSWORD (unguessable, stable).
   */
  MQTT_CLIENT_ID: z
    .string()
    .min(1)
    .default('yujing-gateway-ingest-0')
    .describe('client id prefix, stable per instance; connection i is <prefix>-<secret suffix>-<i>'),
  /**
   * Unset: every enterprise's topics (yj/v1/+/+/…). Set: only these enterprises' (a deployment
   * split by enterprise, or a test on a shared broker that must not take other tests' messages).
   */
  MQTT_ENTERPRISES: listVar()
    .refine((ids) => ids.every((id) => /^[^/+#\s]+$/.test(id)), 'enterprise ids cannot hold / + # or spaces')
    .optional()
    .describe('comma separated enterprise ids to subscribe to (default: all)'),
  /** Shared-subscription group: every instance in the group splits the gateways' messages. */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[^/+#]+$/)
    .default('yujing-ingest')
    .describe('shared subscription group name'),
  /**
   * mqtt.js hands a connection its next message only after the previous one was PUBACKed (after
   * Kafka acked it), so connections = messages in flight = how many can share one produce request.
   * 16 capped throughput at 16 / produce round trip; 64 carried ~1,000 messages/s (140k readings/s)
   * in a local load probe (docs/ingestion.md).
   */
  MQTT_CONNECTIONS: intVar(1, 256)
    .default(64)
    .describe('MQTT connections per instance (members of the shared subscription)'),
  /** MQTT 5 receive-maximum: how many unacknowledged messages the broker may push per connection. */
  MQTT_RECEIVE_MAXIMUM: intVar(1, 65535)
    .default(32)
    .describe('unacknowledged QoS 1 messages the broker may send per connection'),
  /**
   * QoS 0 has no acknowledgement to hold back, so the broker pushes it as fast as gateways
   * publish: these caps bound what waits for Kafka in memory (issue #14 hole 2); the excess is
   * dropped (yujing_ingest_qos0_dropped_total, a `qos0-overload` dead letter per gateway per minute).
   */
  MQTT_QOS0_MAX_IN_FLIGHT_PER_GATEWAY: intVar(1, 10_000)
    .default(4)
    .describe('QoS 0 messages of one gateway waiting for Kafka at once; more are dropped'),
  MQTT_QOS0_MAX_IN_FLIGHT: intVar(1, 1_000_000)
    .default(256)
    .describe('QoS 0 messages of all gateways waiting for Kafka at once; more are dropped'),
  MQTT_QOS0_MAX_BYTES: intVar(1024, 1024 * 1024 * 1024)
    .default(32 * 1024 * 1024)
    .describe('payload bytes of the QoS 0 messages waiting for Kafka, at most'),
  /** How long the broker keeps our session (and queued messages) after a disconnect. */
  MQTT_SESSION_EXPIRY: durationMs()
    .default(86_400_000)
    .describe('MQTT 5 session expiry (e.g. 1d): messages queue while we are down'),
  /** Larger than a Kafka outage we want to ride out without reconnecting (see README). */
  MQTT_KEEPALIVE: durationMs()
    .default(60_000)
    .describe('MQTT keepalive; a handler blocked on Kafka also blocks PINGRESP'),
  /**
   * Produce coalescing (LingerProducer): concurrent messages share one acks=all produce request.
   * Nothing in flight → sent at the next event-loop turn; a request in flight → the queue goes
   * when it is acknowledged, so batches grow with load and a lone message waits for nothing.
   */
  KAFKA_MAX_IN_FLIGHT_BATCHES: intVar(1, 16)
    .default(1)
    .describe('produce requests in flight at once (1: a batch waits for the previous acknowledgement)'),
  /** Only used with KAFKA_MAX_IN_FLIGHT_BATCHES > 1: a further batch waits at most this long for company. */
  KAFKA_LINGER: durationMs()
    .default(5)
    .describe('with more than one batch in flight, how long a further batch waits after its first record'),
  /** One gateway message is one record; a message is never split across requests. */
  KAFKA_BATCH_MAX_RECORDS: intVar(1, 100_000)
    .default(500)
    .describe('records (gateway messages, events, dead letters) per produce request, at most'),
  /** Under the broker's default 1 MiB max.message.bytes per partition (events, dead letters). */
  KAFKA_BATCH_MAX_BYTES: intVar(1024, 64 * 1024 * 1024)
    .default(768 * 1024)
    .describe('key + value bytes per produce request, at most (a larger single record goes alone)'),
  /**
   * The broker deals a gateway's consecutive messages to different sessions, so message n+1 can
   * overtake message n; the rules-worker skips a reading older than its point's last one, so an
   * overtaken excursion was never evaluated. An early message waits up to this long for the one
   * before it (issue 20; GatewayResequencer). Only a gap (a lost or rejected message) costs the
   * whole hold; 0 turns ordering off.
   */
  REORDER_HOLD: durationMs()
    .default(500)
    .describe("longest a gateway's early message waits for its predecessor (seq order into Kafka; 0 = off)"),
  /** HTTP requests being produced at once; more are answered 503 (back-pressure, no unbounded buffering). */
  MAX_IN_FLIGHT: intVar(1, 10_000)
    .default(256)
    .describe('HTTP ingest requests in flight before 503 Retry-After'),
  /** How long an HTTP request waits for Kafka before 503 (the gateway retries; replays are dropped). */
  HTTP_PRODUCE_TIMEOUT: durationMs()
    .default(10_000)
    .describe('deadline for Kafka to acknowledge an HTTP request'),
  /** Replay memory per gateway (17 bytes per seq). */
  REPLAY_WINDOW: intVar(16, 1_000_000)
    .default(1024)
    .describe('sequence numbers remembered per gateway for replay detection'),
  /** Reordering across connections is not a gap: a missing seq is reported after this grace. */
  GAP_GRACE: durationMs().default(30_000).describe('a missing seq becomes a seq-gap event after this'),
  /** Graceful shutdown deadline. */
  SHUTDOWN_TIMEOUT: durationMs().default(20_000).describe('deadline of the whole graceful shutdown'),
  LOG_LEVEL: logLevelVar().default('info').describe('pino log level'),
});
export type GatewayIngestConfig = z.output<typeof GatewayIngestConfig>;
