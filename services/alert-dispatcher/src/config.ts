import { durationMs, intVar, KAFKA_SECURITY_ENV, listVar, logLevelVar, portVar } from '@yujing/config';
import { z } from 'zod';
import { NotifyConfig } from './notify/notify-config';
import { parseCidr } from './ssrf-guard';

/** ALLOW_PRIVATE_WEBHOOK_TARGETS: "false" (default), "true", or a comma separated list of CIDRs. */
const privateTargets = () =>
  z.string().transform((raw, ctx): boolean | string[] => {
    const v = raw.trim().toLowerCase();
    if (['false', '0', 'no', 'off', ''].includes(v)) return false;
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    const cidrs = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const c of cidrs) {
      try {
        parseCidr(c);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }
    return cidrs;
  });

/** Environment of the alert dispatcher, validated once in main.ts (docs/config.md). */
export const DispatcherConfig = z
  .object({
    KAFKA_BROKERS: listVar().default(['127.0.0.1:9092']).describe('Kafka bootstrap brokers, comma separated'),
    ...KAFKA_SECURITY_ENV,
    KAFKA_CLIENT_ID: z
      .string()
      .min(1)
      .default('alert-dispatcher')
      .describe('kafkajs client id (shows in broker logs)'),
    KAFKA_GROUP_ID: z
      .string()
      .min(1)
      .default('alert-dispatcher')
      .describe('consumer group on yj.alarms.v1; every dispatcher instance joins the same group'),
    KAFKA_SESSION_TIMEOUT_MS: durationMs()
      .default(30_000)
      .describe(
        'how long the group waits for a vanished instance before its partitions move (kafkajs default 30s)',
      ),
    TOPIC_PREFIX: z
      .string()
      .default('')
      .describe('prefix of every topic name (tests use a unique one; empty in production)'),
    REDIS_URL: z
      .string()
      .min(1)
      .default('redis://127.0.0.1:6379')
      .describe('Redis of BullMQ queues and alarm dispatch state'),
    QUEUE_PREFIX: z
      .string()
      .default('')
      .describe(
        'prefix of queue names and dispatcher Redis keys (tests use a unique one; operator-api must use the same)',
      ),
    OPS_HOST: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('bind address of /healthz, /readyz, /metrics (0.0.0.0 in containers)'),
    OPS_PORT: portVar().default(9105).describe('port of /healthz, /readyz, /metrics'),
    WEBHOOK_TIMEOUT_MS: durationMs()
      .default(10_000)
      .describe('deadline of one webhook HTTP attempt, connect to last byte'),
    WEBHOOK_ATTEMPTS: intVar(1, 50)
      .default(8)
      .describe(
        'attempts per delivery before it is dead-lettered (8 with the default back-off ≈ 4 min of retries)',
      ),
    WEBHOOK_BACKOFF_MS: durationMs()
      .default(2_000)
      .describe('first retry delay; doubles per attempt, with ±50 % jitter'),
    WEBHOOK_BACKOFF_MAX_MS: durationMs().default(600_000).describe('cap of one retry delay'),
    WEBHOOK_CONCURRENCY: intVar(1, 500).default(16).describe('deliveries in flight per instance'),
    NODE_ENV: z
      .enum(['development', 'test', 'production'])
      .default('production')
      .describe(
        'production (also when unset) delivers webhooks over https only; development/test also over http',
      ),
    ALLOW_PRIVATE_WEBHOOK_TARGETS: privateTargets()
      .default(false)
      .describe(
        'SSRF guard: "false" rejects loopback/private/link-local targets; "true" allows all; or a CIDR list to allow',
      ),
    ESCALATION_CONCURRENCY: intVar(1, 100)
      .default(4)
      .describe('escalation steps processed in parallel per instance'),
    ALARM_STATE_TTL_MS: durationMs()
      .default(30 * 86_400_000)
      .describe(
        'how long Redis keeps an alarm’s dispatch state after its last change (longer than any alarm lives)',
      ),
    MAX_ALARM_AGE_MS: durationMs()
      .default(86_400_000)
      .describe(
        'a raise/escalate emitted longer ago than this is recorded but not escalated (a new consumer group replays history from the start)',
      ),
    JOB_RETENTION_MS: durationMs()
      .default(7 * 86_400_000)
      .describe(
        'how long completed jobs stay in Redis; their ids dedupe replays of the same step or notice meanwhile',
      ),
    SHUTDOWN_TIMEOUT_MS: durationMs()
      .default(30_000)
      .describe('deadline of the graceful shutdown (active webhooks finish first)'),
    LOG_LEVEL: logLevelVar().default('info').describe('pino log level'),
  })
  .extend(NotifyConfig.shape);
export type DispatcherConfig = z.output<typeof DispatcherConfig>;

/** Webhooks carry signed alarm payloads: outside development and test they go over https only. */
export function webhookRequiresHttps(config: Pick<DispatcherConfig, 'NODE_ENV'>): boolean {
  return config.NODE_ENV === 'production';
}
