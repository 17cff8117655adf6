import type { DeadLetterRecord } from '@yujing/schemas';
import type { OutgoingRecord } from './typed-producer';

/** Where dead letters go: a TypedProducer, or a LingerProducer coalescing them with other sends. */
export interface DeadLetterSink {
  send(topic: 'deadLetter', records: OutgoingRecord<DeadLetterRecord>[]): Promise<unknown>;
}

export interface DeadLetterInput {
  source: string;
  reason: string;
  message?: string;
  issues?: DeadLetterRecord['issues'];
  context?: Record<string, string>;
  raw: Buffer | string;
  receivedAt?: number;
}

/**
 * Publishes rejected input to `yj.deadletter.v1` with the reason, the zod issue paths and the
 * raw bytes (base64). Resolves once Kafka has the record, so callers may then acknowledge the
 * input: rejected is never the same as dropped.
 */
export class DeadLetterPublisher {
  constructor(private readonly producer: DeadLetterSink) {}

  async publish(input: DeadLetterInput): Promise<void> {
    const raw = typeof input.raw === 'string' ? Buffer.from(input.raw) : input.raw;
    const record: DeadLetterRecord = {
      source: input.source,
      reason: input.reason,
      ...(input.message !== undefined ? { message: input.message } : {}),
      issues: input.issues ?? [],
      receivedAt: input.receivedAt ?? Date.now(),
      context: input.context ?? {},
      raw: raw.toString('base64'),
    };
    await this.producer.send('deadLetter', [{ key: input.source, value: record }]);
  }
}
