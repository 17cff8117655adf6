import {
  AlarmCommand,
  AlarmCommandResult,
  AlarmTransitionEvent,
  DeadLetterRecord,
  DeliveryRecord,
  GatewayEvent,
  ReadingBatch,
  RegistryRecord,
  SupervisionRecord,
  TelemetryMessageV1,
} from '@yujing/schemas';
import { z } from 'zod';

/**
 * Every Kafka topic of yujing in one typed catalogue (DESIGN §2): name → value schema, key
 * meaning, partitions and topic config. Services address topics only through this catalogue.
 */
export interface TopicSpec<S extends z.ZodType = z.ZodType> {
  /** Unprefixed topic name. */
  name: string;
  /** zod schema of the record value (a null value is a tombstone where compacted). */
  schema: S;
  /** What the record key is. */
  key: string;
  partitions: number;
  config: Record<string, string>;
}

const DAY_MS = 86_400_000;
const spec = <S extends z.ZodType>(s: TopicSpec<S>) => s;

export const TOPICS = {
  telemetryInbound: spec({
    name: 'yj.telemetry.inbound.v1',
    schema: TelemetryMessageV1,
    key: 'any (platform-chosen)',
    partitions: 6,
    config: { 'retention.ms': String(7 * DAY_MS) },
  }),
  readings: spec({
    name: 'yj.readings.v1',
    schema: ReadingBatch,
    key: 'enterpriseId',
    partitions: 12,
    config: { 'retention.ms': String(3 * DAY_MS), 'max.message.bytes': String(4 * 1024 * 1024) },
  }),
  alarms: spec({
    name: 'yj.alarms.v1',
    schema: AlarmTransitionEvent,
    key: 'enterpriseId',
    partitions: 12,
    config: { 'retention.ms': String(30 * DAY_MS) },
  }),
  alarmCommands: spec({
    name: 'yj.alarm-commands.v1',
    schema: AlarmCommand,
    key: 'enterpriseId',
    partitions: 12,
    config: { 'retention.ms': String(30 * DAY_MS) },
  }),
  alarmCommandResults: spec({
    name: 'yj.alarm-command-results.v1',
    schema: AlarmCommandResult,
    key: 'enterpriseId',
    partitions: 12,
    config: { 'retention.ms': String(7 * DAY_MS) },
  }),
  registry: spec({
    name: 'yj.registry.v1',
    schema: RegistryRecord,
    key: 'enterprise/<id>, point/<id>, policy/<id> …',
    partitions: 1,
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': String(DAY_MS) },
  }),
  deliveries: spec({
    name: 'yj.deliveries.v1',
    schema: DeliveryRecord,
    key: 'alarmId',
    partitions: 6,
    config: { 'retention.ms': String(30 * DAY_MS) },
  }),
  gatewayEvents: spec({
    name: 'yj.gateway-events.v1',
    schema: GatewayEvent,
    key: 'enterpriseId',
    partitions: 6,
    config: { 'retention.ms': String(30 * DAY_MS) },
  }),
  deadLetter: spec({
    name: 'yj.deadletter.v1',
    schema: DeadLetterRecord,
    key: 'source',
    partitions: 3,
    config: { 'retention.ms': String(30 * DAY_MS) },
  }),
  /** 重大事故隐患, 举报 and 执法检查 records, current version per key (compacted; ADR 0003). */
  supervision: spec({
    name: 'yj.supervision.v1',
    schema: SupervisionRecord,
    key: 'hazard/<id>, tip-off/<id>, inspection/<id>',
    partitions: 1,
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': String(DAY_MS) },
  }),
  /** Changelog of rules-worker state (compacted; the worker owns its value format, see docs/adr). */
  rulesState: spec({
    name: 'yj.rules-state.v1',
    schema: z.unknown(),
    key: 'enterpriseId',
    partitions: 12,
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0' },
  }),
} as const;

export type TopicId = keyof typeof TOPICS;
export type TopicValue<T extends TopicId> = z.infer<(typeof TOPICS)[T]['schema']>;

/** The full topic name for a deployment or test prefix (e.g. "t-3f2a." in tests, "" in production). */
export function topicName(id: TopicId, prefix = ''): string {
  return `${prefix}${TOPICS[id].name}`;
}
