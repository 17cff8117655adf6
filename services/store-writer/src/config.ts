import {
  durationMs,
  intVar,
  KAFKA_SECURITY_ENV,
  listVar,
  logLevelVar,
  portVar,
  urlVar,
} from '@yujing/config';
import { z } from 'zod';

const ttl = (fallback: string) =>
  z
    .string()
    .regex(/^\d{1,5} (HOURS?|DAYS?|WEEKS?|MONTHS?|YEARS?)$/, 'expected e.g. "90 DAYS", "1 YEAR"')
    .default(fallback);

/** store-writer configuration (env, read once in main.ts). */
export const StoreWriterConfig = z.object({
  /** Kafka bootstrap brokers, comma separated. */
  KAFKA_BROKERS: listVar().default(['127.0.0.1:9092']),
  ...KAFKA_SECURITY_ENV,
  /** Prefix of every topic name ('' in production; tests isolate themselves with a unique one). */
  TOPIC_PREFIX: z.string().default(''),
  /** Consumer group; every store-writer instance joins the same one and shares the partitions. */
  CONSUMER_GROUP: z.string().min(1).default('yj.store-writer'),
  /** kafkajs client id (shows in broker logs). */
  KAFKA_CLIENT_ID: z.string().min(1).default('store-writer'),
  /**
   * Partition batches handled at once by one instance. Their rows share ILP requests (the writer
   * merges concurrent writes), so QuestDB commits fewer, larger transactions.
   */
  PARTITIONS_CONCURRENCY: intVar(1, 64).default(8),
  /** Bytes fetched per partition and request: bounds the in-flight batch (4 MiB ≈ 20k readings). */
  MAX_BYTES_PER_PARTITION: intVar(65_536, 64 * 1024 * 1024).default(4 * 1024 * 1024),
  /** How long a fetch waits for FETCH_MIN_BYTES: larger = bigger batches at low load. */
  FETCH_MAX_WAIT: durationMs().default(500),
  /** Bytes a fetch waits for (up to FETCH_MAX_WAIT): bigger batches, fewer QuestDB transactions under load. */
  FETCH_MIN_BYTES: intVar(1, 64 * 1024 * 1024).default(1024 * 1024),
  /** QuestDB HTTP endpoint (ILP writes). */
  QUESTDB_HTTP: urlVar().default('http://127.0.0.1:9000'),
  /** QuestDB PG-wire URL (schema and readiness); admin/quest is QuestDB's default local account. */
  QUESTDB_PG: z.string().min(1).default('postgres://admin:quest@127.0.0.1:8812/qdb'),
  /** Prefix of the QuestDB table names ([a-z0-9_]; '' in production, unique in tests). */
  QDB_TABLE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]*$/, 'use lowercase letters, digits and _')
    .default(''),
  /** Folder of the table DDL (deploy/questdb); default: the repository's. */
  QDB_DDL_DIR: z.string().min(1).optional(),
  /** Retention of each table (QuestDB TTL). Readings are the bulk, so they are kept shortest. */
  QDB_TTL_READINGS: ttl('90 DAYS'),
  QDB_TTL_ALARM_EVENTS: ttl('3 YEARS'),
  QDB_TTL_DELIVERIES: ttl('1 YEAR'),
  QDB_TTL_GATEWAY_STATUS: ttl('1 YEAR'),
  /** Most rows per ILP/HTTP request (one QuestDB transaction); a Kafka batch is split above this, and concurrent batches are merged up to it. */
  WRITE_MAX_ROWS: intVar(1, 1_000_000).default(50_000),
  /** How long the QuestDB client retries a 5xx/connection error itself before we pause and back off. */
  QUESTDB_RETRY_TIMEOUT: durationMs().default(2_000),
  /** Timeout of one ILP request (the client adds time for large bodies). */
  QUESTDB_REQUEST_TIMEOUT: durationMs().default(10_000),
  /** Backoff between write attempts while QuestDB is unavailable: initial and cap (jittered). */
  RETRY_INITIAL: durationMs().default(250),
  RETRY_MAX: durationMs().default(5_000),
  /** Rows whose time is further ahead of the wall clock go to the dead letter (QuestDB stalls on absurd future times). */
  MAX_FUTURE: durationMs().default(86_400_000),
  /** Ops HTTP server (/healthz, /readyz, /metrics). */
  OPS_HOST: z.string().default('127.0.0.1'),
  OPS_PORT: portVar().default(9104),
  /** pino level. */
  LOG_LEVEL: logLevelVar().default('info'),
  /** Hard deadline for graceful shutdown (in-flight batch, commits, disconnects). */
  SHUTDOWN_TIMEOUT: durationMs().default(30_000),
});
export type StoreWriterConfig = z.output<typeof StoreWriterConfig>;
