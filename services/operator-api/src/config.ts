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
import { isKnownDevSecret } from './auth/known-dev-secrets';

/**
 * operator-api configuration, read once in main.ts with loadConfigOrExit. Every variable says
 * what it means, its unit and why its default is what it is.
 */
export const OperatorApiConfig = z
  .object({
    /** TCP port of the REST/SSE/WS API (DESIGN §9 reserves 8080). */
    PORT: portVar().default(8080).describe('HTTP port of the API, /docs, /healthz, /readyz and /metrics'),
    /** Bind address; loopback by default so a dev machine does not expose the API. */
    HOST: z.string().min(1).default('127.0.0.1').describe('bind address (0.0.0.0 in containers)'),
    /**
     * development / test accept what production refuses: the JWT secrets committed to this repository,
     * tokens without `aud`, and plain-http webhooks. Unset means production, so a forgotten variable
     * fails safe (deploy/local/services-env.sh sets development for the local stack and the demo).
     */
    NODE_ENV: z
      .enum(['development', 'test', 'production'])
      .default('production')
      .describe('development/test accept dev JWT secrets and tokens without aud; unset = production'),
    /** HS256 key for bearer JWTs; the CLI `yujing token mint` must use the same value. */
    JWT_SECRET: secretVar(32)
      .optional()
      .describe(
        'HS256 signing key of bearer tokens, at least 32 characters (secret); optional with JWT_PUBLIC_KEYS_FILE / JWT_JWKS_URL',
      ),
    /** Public keys (a JWKS JSON file: EdDSA, RS256 or ES256 keys with `kid`), so the API never holds a signing key. */
    JWT_PUBLIC_KEYS_FILE: z
      .string()
      .min(1)
      .optional()
      .describe(
        'JWKS file of public keys by kid (EdDSA/RS256/ES256 tokens; `yujing token keygen` writes one)',
      ),
    /** JWKS URL of an external issuer (an identity provider); keys are cached and refetched for a new `kid`. */
    JWT_JWKS_URL: z.url().optional().describe('JWKS URL of an external token issuer'),
    /** Expected `iss` claim; tokens from another issuer are refused. */
    JWT_ISSUER: z.string().min(1).default('yujing').describe('required iss claim of bearer tokens'),
    /** Expected `aud` claim, so a token minted for another service is not accepted here. */
    JWT_AUDIENCE: z
      .string()
      .min(1)
      .default('yujing-operator-api')
      .describe('required aud claim of bearer tokens (tokens without aud only in development/test)'),
    /** Longest `exp - iat`: a 12 h duty shift plus margin; a leaked long-lived token is refused anyway. */
    JWT_MAX_TTL_MS: durationMs().default(86_400_000).describe('maximum token lifetime exp - iat (duration)'),
    /** How often each instance re-reads the jti deny-list from Redis (a revocation reaches all instances within it). */
    JWT_REVOCATION_REFRESH_MS: durationMs()
      .default(5000)
      .describe('re-read interval of the revoked-token list in Redis (duration)'),
    /**
     * Whether X-Forwarded-For is believed (client IP for rate limits): off unless the API runs behind a
     * proxy you name, since anyone can send the header. `true` (every hop) or the proxies' addresses/CIDRs.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | string[] =>
        v === 'false' || v === ''
          ? false
          : v === 'true'
            ? true
            : v
                .split(',')
                .map((x) => x.trim())
                .filter((x) => x.length > 0),
      )
      .describe('trust X-Forwarded-For: false (default), true (any hop), or the proxies’ addresses/CIDRs'),
    /** Failed authentications per client IP and minute before further attempts get 429 (per instance). */
    AUTH_FAILURES_PER_MIN: intVar(1, 1_000_000)
      .default(30)
      .describe('failed bearer-token checks per IP and minute before 429 (per instance)'),
    /** Kafka bootstrap brokers. */
    KAFKA_BROKERS: listVar().default(['127.0.0.1:9092']).describe('comma separated Kafka brokers'),
    ...KAFKA_SECURITY_ENV,
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
    ACK_LINK_SECRET: secretVar(32)
      .optional()
      .describe(
        'HMAC key of one-time acknowledge links in notifications, the dispatcher’s NOTIFY_ACK_LINK_SECRET; absent = no /ack-links routes (secret)',
      ),
    /** Requests per minute per bearer token (per IP when unauthenticated). */
    RATE_LIMIT_PER_MIN: intVar(1, 1_000_000).default(600).describe('requests per minute per token'),
    TIP_OFF_PER_IP_PER_HOUR: intVar(1, 10_000)
      .default(5)
      .describe('public tip-offs (举报) per client address and hour before 429 (per instance)'),
    TIP_OFF_TOTAL_PER_HOUR: intVar(1, 1_000_000)
      .default(500)
      .describe('public tip-offs per hour from all addresses before 429 (per instance)'),
    /** Events kept in memory for SSE Last-Event-ID resume; older resumes are told to reload. */
    STREAM_RING_SIZE: intVar(100, 1_000_000)
      .default(10_000)
      .describe('recent alarm events kept for stream resume'),
    /** Open SSE/WS streams per token: a console with a few tabs, not a script opening thousands. */
    STREAM_MAX_PER_TOKEN: intVar(1, 10_000).default(8).describe('open streams per token (429 beyond)'),
    /** Open SSE/WS streams of this instance in total (503 beyond, so clients go to another instance). */
    STREAM_MAX_TOTAL: intVar(1, 1_000_000).default(5000).describe('open streams per instance (503 beyond)'),
    /** Bytes a stream may have queued unsent; a reader slower than the alarm feed is dropped, not buffered. */
    STREAM_MAX_BUFFERED_BYTES: intVar(16 * 1024, 256 * 1024 * 1024)
      .default(1024 * 1024)
      .describe('unsent bytes per stream before the slow reader is disconnected'),
    /** SSE comment heartbeat, so proxies keep idle streams open. */
    STREAM_HEARTBEAT_MS: durationMs().default(15_000).describe('SSE/WS keep-alive interval (duration)'),
    /** Hard deadline of graceful shutdown. */
    SHUTDOWN_TIMEOUT_MS: durationMs().default(15_000).describe('graceful shutdown deadline (duration)'),
    /** pino level. */
    LOG_LEVEL: logLevelVar().default('info').describe('log level'),
  })
  .superRefine((c, ctx) => {
    if (c.JWT_SECRET === undefined && c.JWT_PUBLIC_KEYS_FILE === undefined && c.JWT_JWKS_URL === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'set JWT_SECRET, JWT_PUBLIC_KEYS_FILE or JWT_JWKS_URL: no way to verify tokens',
      });
    if (c.JWT_SECRET !== undefined && c.NODE_ENV === 'production' && isKnownDevSecret(c.JWT_SECRET.reveal()))
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message:
          'is a development secret committed to the repository: set a random one (openssl rand -base64 36), or NODE_ENV=development on a dev machine',
      });
  });
export type OperatorApiConfig = z.output<typeof OperatorApiConfig>;
