import { type DeadLetterPublisher, platformOfInboundTopic, type TypedProducer } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { encodeReadingBatch, type GatewayEvent } from '@yujing/schemas';
import {
  type DeadLetterFields,
  deadLetterOf,
  deliverUntilAcked,
  type IntakeLimits,
  type IntakeRegistry,
  intakeMessage,
  rejection,
  type SequenceTracker,
} from '@yujing/telemetry-intake';
import type { KafkaMessage } from 'kafkajs';
import type { KafkaIngestMetrics } from './kafka-ingest-metrics';
import type { InboundRecord, TelemetryAdapter } from './telemetry-adapter';

/** The registry's platforms: which enterprises each may speak for (schemas `Platform`). */
export interface PlatformRegistry {
  platform(id: string): { enterprises: readonly string[] } | undefined;
}

export interface InboundProcessorDeps {
  producer: TypedProducer;
  deadLetters: DeadLetterPublisher;
  registry: IntakeRegistry & PlatformRegistry;
  /** Topic prefix, to tell a platform's own inbound topic (`yj.telemetry.inbound.v1.<id>`) from the shared one. */
  topicPrefix: string;
  tracker: SequenceTracker;
  adapters: readonly TelemetryAdapter[];
  limits: IntakeLimits;
  metrics: KafkaIngestMetrics;
  logger: Logger;
  now?: () => number;
}

/**
 * Turns one fetched batch of `yj.telemetry.inbound.v1` into readings batches, gateway events
 * and dead letters, and resolves only once Kafka acknowledged all of them — the consumer then
 * commits the offsets (at-least-once; replays of the same (gateway, seq, sentAt) are dropped).
 */
export class InboundProcessor {
  readonly #d: InboundProcessorDeps;
  readonly #now: () => number;

  constructor(deps: InboundProcessorDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  async process(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    ctx: { heartbeat(): Promise<void>; isRunning(): boolean },
  ): Promise<void> {
    const { metrics, tracker } = this.#d;
    /** `yj.readings.v1` records, encoded once (a retry re-sends the same bytes). */
    const readings: { key: string; value: Buffer }[] = [];
    let readingCount = 0;
    const events: GatewayEvent[] = [];
    const letters: DeadLetterFields[] = [];
    const pending: [string, string, number, number][] = [];
    /** [receivedAt, newest sensor ts] of each accepted batch, for the alarm-path hops. */
    const accepted: [number, number][] = [];
    // Records of `yj.telemetry.inbound.v1.<platform>` were written by that platform's principal
    // (only it has WRITE there); records of the shared topic come from yujing's own producers.
    const platformId = platformOfInboundTopic(topic, this.#d.topicPrefix);
    const speaksFor =
      platformId === undefined ? undefined : this.#d.registry.platform(platformId)?.enterprises;
    for (const m of messages) {
      const raw = m.value ?? Buffer.alloc(0);
      const where = { topic, partition: String(partition), offset: m.offset };
      const record: InboundRecord = { key: m.key ?? null, value: m.value, headers: headersOf(m) };
      const adapter = this.#d.adapters.find((a) => a.canDecode(record));
      if (!adapter) {
        const r = rejection(
          'unsupported-format',
          `no adapter for format "${record.headers['yj-format'] ?? '?'}"`,
        );
        letters.push(deadLetterOf(r, 'kafka', raw, this.#now(), where));
        continue;
      }
      const decoded = adapter.decode(record);
      if ('rejection' in decoded) {
        letters.push(
          deadLetterOf(decoded.rejection, 'kafka', raw, this.#now(), { ...where, adapter: adapter.name }),
        );
        continue;
      }
      const { enterpriseId } = decoded;
      if (platformId !== undefined && !speaksFor?.includes(enterpriseId)) {
        const r = rejection(
          'wrong-enterprise',
          speaksFor === undefined
            ? `platform ${platformId} is not in the registry, so it speaks for no enterprise`
            : `platform ${platformId} may not speak for enterprise ${enterpriseId}`,
        );
        letters.push(
          deadLetterOf(r, 'kafka', raw, this.#now(), {
            ...where,
            adapter: adapter.name,
            enterpriseId,
            platformId,
          }),
        );
        metrics.messages.inc({ outcome: 'rejected' });
        continue;
      }
      const receivedAt = this.#now();
      const out = intakeMessage(
        decoded.message,
        { source: 'kafka', enterpriseId, receivedAt },
        this.#d.registry,
        this.#d.limits,
      );
      const ids = { ...where, adapter: adapter.name, enterpriseId };
      if (!out.ok) {
        letters.push(
          deadLetterOf(out.rejection, 'kafka', raw, receivedAt, {
            ...ids,
            gatewayId: out.gatewayId,
            seq: out.seq,
          }),
        );
        metrics.messages.inc({ outcome: 'rejected' });
        continue;
      }
      const verdict = tracker.check(enterpriseId, out.gatewayId, out.seq, out.sentAt, receivedAt);
      if (verdict.duplicate) {
        metrics.messages.inc({ outcome: 'duplicate' });
        continue;
      }
      pending.push([enterpriseId, out.gatewayId, out.seq, out.sentAt]);
      events.push(...verdict.events);
      if (out.batch) {
        readings.push({ key: enterpriseId, value: encodeReadingBatch(out.batch) });
        readingCount += out.batch.readings.length;
        if (out.batch.readings.length > 0) accepted.push([receivedAt, newestTs(out.batch.readings)]);
      }
      for (const r of out.rejections) {
        letters.push(
          deadLetterOf(r, 'kafka', raw, receivedAt, { ...ids, gatewayId: out.gatewayId, seq: out.seq }),
        );
      }
      metrics.messages.inc({ outcome: out.rejections.length > 0 ? 'partial' : 'accepted' });
    }

    const timer = metrics.produceSeconds.startTimer();
    try {
      await deliverUntilAcked(
        () =>
          Promise.all([
            readings.length > 0 ? this.#d.producer.sendEncoded('readings', readings) : undefined,
            events.length > 0
              ? this.#d.producer.send(
                  'gatewayEvents',
                  events.map((e) => ({ key: e.enterpriseId, value: e })),
                )
              : undefined,
            ...letters.map((l) => this.#d.deadLetters.publish(l)),
          ]),
        {
          shouldStop: () => !ctx.isRunning(),
          logger: this.#d.logger,
          what: 'inbound batch',
          onRetry: () => {
            metrics.produceRetries.inc();
            ctx.heartbeat().catch(() => undefined);
          },
        },
      );
    } catch (err) {
      for (const [e, g, seq, sentAt] of pending) tracker.release(e, g, seq, sentAt);
      throw err; // offsets stay: the batch is delivered again
    }
    timer();
    const now = this.#now();
    for (const [receivedAt, newest] of accepted) {
      metrics.alarmPath.observe('sensor_to_ingest', receivedAt - newest);
      metrics.alarmPath.observe('ingest_to_kafka', now - receivedAt);
    }
    for (const [e, g, seq, sentAt] of pending) tracker.commit(e, g, seq, sentAt, now);
    metrics.readings.inc(readingCount);
    for (const l of letters) metrics.rejects.inc({ reason: l.reason });
  }
}

function headersOf(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

/** The newest sensor timestamp of a batch (the reading that waited least before ingest). */
function newestTs(readings: readonly { ts: number }[]): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const r of readings) if (r.ts > newest) newest = r.ts;
  return newest;
}
