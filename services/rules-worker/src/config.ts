import { durationMs, intVar, KAFKA_SECURITY_ENV, listVar, logLevelVar, portVar } from '@yujing/config';
import { z } from 'zod';

/** rules-worker configuration, read once from the environment in main.ts. */
export const RulesWorkerConfig = z.object({
  /** Kafka bootstrap servers. */
  KAFKA_BROKERS: listVar().describe('comma separated Kafka bootstrap servers, e.g. 127.0.0.1:9092'),
  ...KAFKA_SECURITY_ENV,
  /** '' in production; tests isolate themselves with a unique prefix. */
  TOPIC_PREFIX: z.string().default('').describe('prefix of every Kafka topic name (tests use a unique one)'),
  /** Every instance of one deployment shares the group: partitions (= enterprises) are split between them. */
  GROUP_ID: z
    .string()
    .min(1)
    .default('yj-rules-worker')
    .describe('consumer group of yj.readings.v1 + yj.alarm-commands.v1'),
  /** Shows up in broker logs and kafkajs metrics. */
  CLIENT_ID: z.string().min(1).default('yj-rules-worker').describe('Kafka client id'),
  /** DESIGN §9 lists each service's ops port in docs/; the rules-worker's is 9103. */
  OPS_HOST: z.string().default('127.0.0.1').describe('bind address of /healthz, /readyz, /metrics'),
  OPS_PORT: portVar().default(9103).describe('port of /healthz, /readyz, /metrics'),
  /**
   * Wall-clock pass: gateway offline, point no-data, shelve expiry; it also snapshots the states
   * changed by records that emitted nothing, so it bounds what a restore replays (ADR 0001).
   * 1 s keeps offline alarms within a second of due.
   */
  TICK_INTERVAL_MS: durationMs()
    .default(1_000)
    .describe(
      'interval of the wall-clock pass (offline, no-data, shelve expiry; snapshots of changed states)',
    ),
  /** Operators may not hide an alarm longer than this (ISA-18.2 shelving needs a bound). */
  MAX_SHELVE_MS: durationMs()
    .default(8 * 3_600_000)
    .describe('longest shelve an operator may request (e.g. 8h)'),
  /** A lower severity must persist this long before an active alarm is de-escalated (avoids level flapping). */
  DEESCALATE_HOLD_MS: durationMs()
    .default(60_000)
    .describe('hold time before an active alarm is de-escalated'),
  /** ≥ this many activations within CHATTER_WINDOW_MS mark a point/rule as chattering (2 or 3). */
  CHATTER_COUNT: intVar(2, 3)
    .default(3)
    .describe('activations within the chatter window that count as chattering'),
  CHATTER_WINDOW_MS: durationMs().default(60_000).describe('chatter detection window'),
  /** Level (1 most severe … 4) of gateway-offline alarms. */
  GATEWAY_OFFLINE_LEVEL: intVar(1, 4).default(3).describe('level of gateway-offline alarms'),
  /** Gateways without a heartbeatTimeoutMs in the registry use this. */
  DEFAULT_GATEWAY_TIMEOUT_MS: durationMs()
    .default(60_000)
    .describe('gateway offline timeout when the registry gives none'),
  /** A member that misses heartbeats this long is removed and its partitions move (kafkajs default 30 s). */
  SESSION_TIMEOUT_MS: durationMs().default(30_000).describe('Kafka consumer session timeout'),
  /** How long a newly assigned partition may wait for the state changelog to catch up before failing loudly. */
  RESTORE_TIMEOUT_MS: durationMs()
    .default(60_000)
    .describe('deadline for restoring a partition from yj.rules-state.v1'),
  /**
   * A fetch returns once this many bytes are ready (or FETCH_MAX_WAIT_MS passed): fewer, bigger
   * fetches under load (each fetch costs CPU of its own), while FETCH_MAX_WAIT_MS bounds the wait
   * at low load. 256 KiB ≈ 20 records of 140 readings, ≈ 30 ms of traffic at 100k readings/s.
   */
  FETCH_MIN_BYTES: intVar(1, 16 * 1024 * 1024)
    .default(262_144)
    .describe('bytes a Kafka fetch waits for before returning (1 = return at once)'),
  /**
   * Longest a fetch waits for FETCH_MIN_BYTES: latency added at low load, kept small for the 1 s
   * alarm budget. At 20k readings/s 50 ms saved another ~15 % of the worker's CPU over 25 ms.
   */
  FETCH_MAX_WAIT_MS: durationMs()
    .default(25)
    .describe('longest a Kafka fetch waits for FETCH_MIN_BYTES (added latency at low load)'),
  /** Bounds one partition's batch (and memory in flight); 1 MiB ≈ 100 records of 140 readings. */
  FETCH_MAX_BYTES_PER_PARTITION: intVar(65_536, 64 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('bytes fetched per partition and request'),
  /** Graceful shutdown deadline. */
  SHUTDOWN_TIMEOUT_MS: durationMs().default(20_000).describe('deadline of the whole graceful shutdown'),
  LOG_LEVEL: logLevelVar().default('info').describe('pino log level'),
});
export type RulesWorkerConfig = z.output<typeof RulesWorkerConfig>;
