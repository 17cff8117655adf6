import { z } from 'zod';
import { AlarmCommand, AlarmTransitionEvent } from './alarm-events';
import { DeadLetterRecord, DeliveryRecord, WebhookPayload } from './delivery';
import { RegistryDocument } from './registry-entities';
import { ReadingBatch, TelemetryMessageV1 } from './telemetry';

/**
 * The published JSON Schema and AsyncAPI files under `schemas/` (for gateway and regulator
 * integrators), generated from the zod contracts. `io` says which side integrators see: what
 * they send (input: defaults optional) or what they receive (output: defaults filled in).
 * Refinements (cross-field rules) are not expressible in JSON Schema; the zod schemas enforce them.
 */
const CONTRACTS = [
  {
    file: 'telemetry-message-v1',
    schema: TelemetryMessageV1,
    io: 'input',
    title: 'Gateway telemetry message, native format v1',
  },
  {
    file: 'reading-batch',
    schema: ReadingBatch,
    io: 'output',
    title: 'Normalised reading batch on yj.readings.v1',
  },
  {
    file: 'alarm-transition-event',
    schema: AlarmTransitionEvent,
    io: 'output',
    title: 'Alarm transition on yj.alarms.v1',
  },
  {
    file: 'alarm-command',
    schema: AlarmCommand,
    io: 'input',
    title: 'Operator command on yj.alarm-commands.v1',
  },
  {
    file: 'delivery-record',
    schema: DeliveryRecord,
    io: 'output',
    title: 'Webhook delivery attempt on yj.deliveries.v1',
  },
  {
    file: 'dead-letter-record',
    schema: DeadLetterRecord,
    io: 'output',
    title: 'Rejected input on yj.deadletter.v1',
  },
  {
    file: 'webhook-payload',
    schema: WebhookPayload,
    io: 'output',
    title: 'JSON body POSTed to regulator webhooks',
  },
  { file: 'registry-document', schema: RegistryDocument, io: 'input', title: 'Registry file (YAML or JSON)' },
] as const;

const ID_BASE = 'https://yujing.example/schemas/';
const ref = (file: string) => ({ $ref: `./${file}.schema.json` });

function jsonSchemaOf(c: (typeof CONTRACTS)[number]): Record<string, unknown> {
  const schema = z.toJSONSchema(c.schema, { io: c.io, unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...schema, $id: `${ID_BASE}${c.file}.schema.json`, title: c.title };
}

const kafkaChannel = (topic: string, key: string, file: string, description: string) => ({
  address: topic,
  description: `${description} Record key: ${key}. Value: UTF-8 JSON.`,
  messages: { [file]: { payload: ref(file), contentType: 'application/json' } },
  bindings: { kafka: { topic } },
});

function asyncApiDocument(): Record<string, unknown> {
  const channels = {
    gatewayTelemetry: {
      address: 'yj/v1/{enterpriseId}/{gatewayId}/telemetry',
      description:
        'Gateway telemetry, QoS 1; the broker lets a gateway publish only under its own enterprise. ≤ 1 MiB, ≤ 5,000 readings.',
      parameters: {
        enterpriseId: { description: 'enterprise id (starts with its county code)' },
        gatewayId: { description: 'gateway id' },
      },
      messages: { telemetry: { payload: ref('telemetry-message-v1'), contentType: 'application/json' } },
    },
    gatewayStatus: {
      address: 'yj/v1/{enterpriseId}/{gatewayId}/status',
      description: 'Retained gateway status: "online" / "offline" (the last will), or {status, at}.',
      parameters: { enterpriseId: {}, gatewayId: {} },
      messages: {
        status: {
          payload: {
            oneOf: [
              { type: 'string', enum: ['online', 'offline'] },
              {
                type: 'object',
                required: ['status'],
                properties: { status: { type: 'string', enum: ['online', 'offline'] }, at: {} },
              },
            ],
          },
        },
      },
    },
    telemetryInbound: kafkaChannel(
      'yj.telemetry.inbound.v1',
      'any',
      'telemetry-message-v1',
      'Telemetry written by external platforms.',
    ),
    readings: kafkaChannel(
      'yj.readings.v1',
      'enterpriseId',
      'reading-batch',
      'Normalised reading batches (the hot path).',
    ),
    alarms: kafkaChannel('yj.alarms.v1', 'enterpriseId', 'alarm-transition-event', 'Alarm transitions.'),
    alarmCommands: kafkaChannel(
      'yj.alarm-commands.v1',
      'enterpriseId',
      'alarm-command',
      'Operator actions on alarms.',
    ),
    deliveries: kafkaChannel('yj.deliveries.v1', 'alarmId', 'delivery-record', 'Webhook delivery attempts.'),
    deadLetter: kafkaChannel(
      'yj.deadletter.v1',
      'source',
      'dead-letter-record',
      'Every rejected input; nothing is dropped.',
    ),
  };
  const op = (action: 'send' | 'receive', channel: keyof typeof channels, summary: string) => ({
    action,
    channel: { $ref: `#/channels/${channel}` },
    summary,
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'yujing (预警) gateway and platform interfaces',
      version: '1.0.0',
      description:
        'Generated from packages/schemas by packages/schemas/scripts/generate-json-schema.ts. Do not edit.',
    },
    servers: {
      mqtt: {
        host: '127.0.0.1:1884',
        protocol: 'mqtt',
        description: "yujing's Mosquitto (username/password per gateway)",
      },
      kafka: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'Kafka (KRaft), the local stack' },
    },
    channels,
    operations: {
      publishTelemetry: op('receive', 'gatewayTelemetry', 'yujing receives gateway telemetry'),
      publishStatus: op('receive', 'gatewayStatus', 'yujing receives gateway status'),
      consumeInbound: op('receive', 'telemetryInbound', 'kafka-ingest reads platform telemetry'),
      produceReadings: op('send', 'readings', 'ingest services write reading batches'),
      produceAlarms: op('send', 'alarms', 'rules-worker writes alarm transitions'),
      consumeCommands: op('receive', 'alarmCommands', 'rules-worker executes operator commands'),
      produceDeliveries: op('send', 'deliveries', 'alert-dispatcher records delivery attempts'),
      produceDeadLetters: op('send', 'deadLetter', 'every service dead-letters rejected input'),
    },
  };
}

/** File name under `schemas/` → content (pretty JSON with a trailing newline). */
export function jsonSchemaArtifacts(): Map<string, string> {
  const out = new Map<string, string>();
  const text = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  for (const c of CONTRACTS) out.set(`${c.file}.schema.json`, text(jsonSchemaOf(c)));
  out.set('asyncapi.json', text(asyncApiDocument()));
  return out;
}
