import { durationMs, intVar, listVar, logLevelVar, portVar, secretVar } from '@yujing/config';
import { z } from 'zod';

/**
 * operator-api configuration, read once in main.ts with loadConfigOrExit. Every variable says
 * what it means, its unit and why its default is what it is.
 */
export const OperatorApiConfig = z.object({
  /** TCP port of the REST/SSE/WS API (DESIGN §9 reserves 8080). */
  PORT: portVar().default(8080).describe('HTTP port of the API, /docs, /healthz, /readyz and /metrics'),
  /** Bind address; loopback by default so a dev machine does not expose the API. */
  HOST: z.string().min(1).default('127.0.0.1').describe('bind address (0.0.0.0 in containers)'),
  /** HS256 key for bearer JWTs; the CLI `yujing token mint` must use the same value. */
  JWT_SECRET: secretVar(32).describe('HS256 signing key of bearer tokens, at least 32 characters (secret)'),
  /** Expected `iss` claim; tokens from another issuer are refused. */
  JWT_ISSUER: z.string().min(1).default('yujing').describe('required iss claim of bearer tokens'),
  /** Kafka bootstrap brokers. */
  KAFKA_BROKERS: listVar().default(['127.0.0.1:9092']).describe('comma separated Kafka brokers'),
  /** Prefix of every topic name, so tests and tenants run isolated. */
  TOPIC_PREFIX: z.string().default('').describe('prefix of every Kafka topic ("" in production)'),
  /**
   * Base of the per-instance consumer group that follows yj.alarms.v1 and the command results:
   * every API instance needs every event for its streams, so the instance id is appended.
   */
  CONSUMER_GROUP: z
    .string()
    .min(1)
    .default('operator-api')
    .describe('consumer group base; an instance id is appended'),
  /** Identifies this instance in its consumer group name and Kafka client id; the host name by default (pod name in k8s). */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional()
    .describe('instance id (default: host name)'),
  /** QuestDB PG-wire URL (history, reports, current alarm states). */
  QUESTDB_PG: z
    .string()
    .min(1)
    .default('postgres://admin:quest@127.0.0.1:8812/qdb')
    .describe('QuestDB PG-wire connection URL'),
  /** Prefix of QuestDB table names (tests use a unique one). */
  QDB_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_]*$/)
    .default('')
    .describe('prefix of QuestDB table names'),
  /** Redis for the BullMQ deliveries queue (dead-lettered webhook deliveries and replay). */
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379').describe('Redis URL of the BullMQ queues'),
  /** Prefix of BullMQ queue names, same convention as TOPIC_PREFIX. */
  QUEUE_PREFIX: z.string().default('').describe('prefix of BullMQ queue names'),
  /**
   * How long an action waits for the worker's result before answering 202 with a Location link.
   * 5 s covers a worker rebalance on a healthy cluster without holding clients for long.
   */
  COMMAND_WAIT_MS: durationMs()
    .default(5000)
    .describe('wait for a command result before answering 202 (duration)'),
  /** Requests per minute per bearer token (per IP when unauthenticated). */
  RATE_LIMIT_PER_MIN: intVar(1, 1_000_000).default(600).describe('requests per minute per token'),
  /** Events kept in memory for SSE Last-Event-ID resume; older resumes are told to reload. */
  STREAM_RING_SIZE: intVar(100, 1_000_000)
    .default(10_000)
    .describe('recent alarm events kept for stream resume'),
  /** SSE comment heartbeat, so proxies keep idle streams open. */
  STREAM_HEARTBEAT_MS: durationMs().default(15_000).describe('SSE/WS keep-alive interval (duration)'),
  /** Hard deadline of graceful shutdown. */
  SHUTDOWN_TIMEOUT_MS: durationMs().default(15_000).describe('graceful shutdown deadline (duration)'),
  /** pino level. */
  LOG_LEVEL: logLevelVar().default('info').describe('log level'),
});
export type OperatorApiConfig = z.output<typeof OperatorApiConfig>;
