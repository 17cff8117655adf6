import { JSON_SCHEMA_CONTRACTS } from '@yujing/schemas/json-schema-artifacts';
import { TOPICS, type TopicId } from './topic-catalogue';

/**
 * The AsyncAPI 3 document of yujing's messaging (`schemas/asyncapi.json`): the two MQTT gateway
 * topics and one channel per entry of the topic catalogue, so a new topic cannot go unpublished.
 * Payloads refer to the JSON Schema files generated from the same zod schemas (found by schema
 * identity); `pnpm run docs:generate` writes the file, test/unit/contracts.test.ts fails on drift.
 */
interface TopicDoc {
  description: string;
  /** Operation id → who sends or receives and why. */
  operations: Record<string, { action: 'send' | 'receive'; summary: string }>;
  /** For a value with no published JSON Schema: what it is instead. */
  opaque?: string;
}

/** One entry per catalogue topic: a topic added to TOPICS without one here does not compile. */
const TOPIC_DOCS: Record<TopicId, TopicDoc> = {
  telemetryInbound: {
    description: 'Telemetry written by external platforms.',
    operations: { consumeInbound: { action: 'receive', summary: 'kafka-ingest reads platform telemetry' } },
  },
  readings: {
    description: 'Normalised reading batches (the hot path).',
    operations: { produceReadings: { action: 'send', summary: 'ingest services write reading batches' } },
  },
  alarms: {
    description: 'Alarm transitions.',
    operations: { produceAlarms: { action: 'send', summary: 'rules-worker writes alarm transitions' } },
  },
  alarmCommands: {
    description: 'Operator actions on alarms.',
    operations: {
      consumeCommands: { action: 'receive', summary: 'rules-worker executes operator commands' },
    },
  },
  alarmCommandResults: {
    description: 'The outcome of each operator command (accepted, or refused with a YJ_ERR_* code).',
    operations: {
      produceCommandResults: {
        action: 'send',
        summary: 'rules-worker answers each command; operator-api completes the waiting request',
      },
    },
  },
  registry: {
    description:
      'The registry (基础信息 and 分级分类), one record per entity version; compacted, a null value is a tombstone.',
    operations: {
      publishRegistry: {
        action: 'send',
        summary: '`yujing registry publish` and the operator-api admin routes write entity versions',
      },
      readRegistry: { action: 'receive', summary: 'every service rebuilds the registry from the topic' },
    },
  },
  deliveries: {
    description: 'Webhook delivery attempts.',
    operations: {
      produceDeliveries: { action: 'send', summary: 'alert-dispatcher records delivery attempts' },
    },
  },
  gatewayEvents: {
    description: 'Gateway online/offline transitions and sequence gaps or resets.',
    operations: {
      produceGatewayEvents: {
        action: 'send',
        summary: 'gateway-ingest and kafka-ingest report gateway status and sequence events',
      },
      storeGatewayEvents: {
        action: 'receive',
        summary: 'store-writer keeps them for connectivity reports',
      },
    },
  },
  deadLetter: {
    description: 'Every rejected input; nothing is dropped.',
    operations: {
      produceDeadLetters: { action: 'send', summary: 'every service dead-letters rejected input' },
    },
  },
  supervision: {
    description:
      '重大事故隐患 register, public tip-offs (举报) and inspections (执法检查): the current version of each record; compacted (ADR 0003).',
    operations: {
      writeSupervision: {
        action: 'send',
        summary: 'operator-api writes each new version of a hazard, tip-off or inspection (acks = all)',
      },
      readSupervision: {
        action: 'receive',
        summary:
          'every operator-api instance reads the whole topic into its view (the first record of a version wins)',
      },
    },
  },
  rulesState: {
    description: 'Changelog of rules-worker state per enterprise (compacted).',
    operations: {
      produceRulesState: { action: 'send', summary: 'rules-worker writes its state changes' },
      restoreRulesState: {
        action: 'receive',
        summary: 'rules-worker restores a partition’s state after a rebalance or restart',
      },
    },
    opaque: 'internal to rules-worker, which owns its value format (docs/adr); not a public contract',
  },
};

const ref = (file: string) => ({ $ref: `./${file}.schema.json` });

function payloadOf(id: TopicId): { name: string; payload: Record<string, unknown> } {
  const contract = JSON_SCHEMA_CONTRACTS.find((c) => c.schema === TOPICS[id].schema);
  if (contract) return { name: contract.file, payload: ref(contract.file) };
  const opaque = TOPIC_DOCS[id].opaque;
  if (!opaque)
    throw new Error(
      `topic ${TOPICS[id].name}: its value schema has no JSON Schema in JSON_SCHEMA_CONTRACTS (packages/schemas) and TOPIC_DOCS does not call it opaque`,
    );
  return { name: `${id}-value`, payload: { description: opaque } };
}

function kafkaChannel(id: TopicId) {
  const topic = TOPICS[id];
  const { name, payload } = payloadOf(id);
  return {
    address: topic.name,
    description: `${TOPIC_DOCS[id].description} Record key: ${topic.key}. Value: UTF-8 JSON.`,
    messages: { [name]: { payload, contentType: 'application/json' } },
    bindings: {
      kafka: {
        topic: topic.name,
        partitions: topic.partitions,
        topicConfiguration: topicConfiguration(topic.config),
      },
    },
  };
}

/** The catalogue's topic config in the AsyncAPI Kafka binding's terms (unknown keys are left out). */
function topicConfiguration(config: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (config['cleanup.policy']) out['cleanup.policy'] = config['cleanup.policy'].split(',');
  if (config['retention.ms']) out['retention.ms'] = Number(config['retention.ms']);
  if (config['max.message.bytes']) out['max.message.bytes'] = Number(config['max.message.bytes']);
  return out;
}

const MQTT_CHANNELS = {
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
};

export function asyncApiDocument(): Record<string, unknown> {
  const ids = Object.keys(TOPICS) as TopicId[];
  const channels: Record<string, unknown> = { ...MQTT_CHANNELS };
  for (const id of ids) channels[id] = kafkaChannel(id);
  const operations: Record<string, unknown> = {
    publishTelemetry: {
      action: 'receive',
      channel: { $ref: '#/channels/gatewayTelemetry' },
      summary: 'yujing receives gateway telemetry',
    },
    publishStatus: {
      action: 'receive',
      channel: { $ref: '#/channels/gatewayStatus' },
      summary: 'yujing receives gateway status',
    },
  };
  for (const id of ids)
    for (const [opId, op] of Object.entries(TOPIC_DOCS[id].operations))
      operations[opId] = { action: op.action, channel: { $ref: `#/channels/${id}` }, summary: op.summary };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'yujing (预警) gateway and platform interfaces',
      version: '1.0.0',
      description:
        'Generated from packages/kafka/src/topic-catalogue.ts and packages/schemas by `pnpm run docs:generate`. Do not edit.',
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
    operations,
  };
}
