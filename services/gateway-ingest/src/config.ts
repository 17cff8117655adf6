import { durationMs, intVar, listVar, logLevelVar, portVar, secretVar } from '@yujing/config';
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
  /** '' in production; tests isolate themselves with a unique prefix. */
  TOPIC_PREFIX: z.string().default('').describe('prefix of every Kafka topic name (tests use a unique one)'),
  /** yujing's own Mosquitto (auth + ACL), not the stock one on 1883. */
  MQTT_URL: z.string().default('mqtt://127.0.0.1:1884').describe('broker URL (mqtt:// or mqtts://)'),
  /** The service account (read on yj/v1/#), kept by broker-auth in every generated passwd/ACL. */
  MQTT_USERNAME: z.string().min(1).default('yujing-ingest').describe('MQTT service account username'),
  MQTT_PASSWORD: secretVar().describe('MQTT service account password (secret, never logged)'),
  /** Stable per instance: the broker keeps unacknowledged messages of this session while we are down. */
  MQTT_CLIENT_ID: z
    .string()
    .min(1)
    .default('yujing-gateway-ingest-0')
    .describe('client id prefix, stable per instance (…-0, …-1 per connection)'),
  /** Shared-subscription group: every instance in the group splits the gateways' messages. */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[^/+#]+$/)
    .default('yujing-ingest')
    .describe('shared subscription group name'),
  /** Each connection handles one message at a time (PUBACK after Kafka ack), so connections = parallelism. */
  MQTT_CONNECTIONS: intVar(1, 64)
    .default(16)
    .describe('MQTT connections per instance (members of the shared subscription)'),
  /** MQTT 5 receive-maximum: how many unacknowledged messages the broker may push per connection. */
  MQTT_RECEIVE_MAXIMUM: intVar(1, 65535)
    .default(32)
    .describe('unacknowledged QoS 1 messages the broker may send per connection'),
  /** How long the broker keeps our session (and queued messages) after a disconnect. */
  MQTT_SESSION_EXPIRY: durationMs()
    .default(86_400_000)
    .describe('MQTT 5 session expiry (e.g. 1d): messages queue while we are down'),
  /** Larger than a Kafka outage we want to ride out without reconnecting (see README). */
  MQTT_KEEPALIVE: durationMs()
    .default(60_000)
    .describe('MQTT keepalive; a handler blocked on Kafka also blocks PINGRESP'),
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
