import { z } from 'zod';
import { AlarmCommand, AlarmCommandResult, AlarmTransitionEvent } from './alarm-events';
import { DeadLetterRecord, DeliveryRecord, WebhookPayload } from './delivery';
import { RegistryDocument, RegistryRecord } from './registry-entities';
import { SupervisionRecord } from './supervision';
import { GatewayEvent, ReadingBatch, TelemetryMessageV1 } from './telemetry';

/**
 * The published JSON Schema files under `schemas/` (for gateway and regulator integrators),
 * generated from the zod contracts. The AsyncAPI document (packages/kafka) refers to them by file
 * name; `pnpm run docs:generate` writes them all. `io` says which side integrators see: what
 * they send (input: defaults optional) or what they receive (output: defaults filled in).
 * Refinements (cross-field rules) are not expressible in JSON Schema; the zod schemas enforce them.
 */
export const JSON_SCHEMA_CONTRACTS = [
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
  {
    file: 'alarm-command-result',
    schema: AlarmCommandResult,
    io: 'output',
    title: 'Outcome of an operator command on yj.alarm-command-results.v1',
  },
  {
    file: 'gateway-event',
    schema: GatewayEvent,
    io: 'output',
    title: 'Gateway online/offline and sequence event on yj.gateway-events.v1',
  },
  {
    file: 'registry-record',
    schema: RegistryRecord,
    io: 'output',
    title: 'Registry entity version on yj.registry.v1 (a null value is a tombstone)',
  },
  {
    file: 'supervision-record',
    schema: SupervisionRecord,
    io: 'output',
    title: 'Hazard, tip-off (举报) or inspection record version on yj.supervision.v1',
  },
  { file: 'registry-document', schema: RegistryDocument, io: 'input', title: 'Registry file (YAML or JSON)' },
] as const;

const ID_BASE = 'https://yujing.example/schemas/';

function jsonSchemaOf(c: (typeof JSON_SCHEMA_CONTRACTS)[number]): Record<string, unknown> {
  const schema = z.toJSONSchema(c.schema, { io: c.io, unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...schema, $id: `${ID_BASE}${c.file}.schema.json`, title: c.title };
}

/** File name under `schemas/` → content (pretty JSON with a trailing newline). */
export function jsonSchemaArtifacts(): Map<string, string> {
  const out = new Map<string, string>();
  const text = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  for (const c of JSON_SCHEMA_CONTRACTS) out.set(`${c.file}.schema.json`, text(jsonSchemaOf(c)));
  return out;
}
