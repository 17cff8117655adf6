import { CompressionTypes, type Kafka, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import { encodeJson } from './json-codec';
import { type TopicId, type TopicValue, topicName } from './topic-catalogue';

export interface OutgoingRecord<T> {
  key: string;
  value: T | null;
  headers?: Record<string, string>;
  timestamp?: number;
}

/** Outgoing records as kafkajs messages, values JSON-encoded now (the caller's turn). */
export function toKafkaMessages<T>(records: readonly OutgoingRecord<T>[]): Message[] {
  return records.map((r) => ({
    key: r.key,
    value: r.value === null ? null : encodeJson(r.value),
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.timestamp !== undefined ? { timestamp: String(r.timestamp) } : {}),
  }));
}

/**
 * A producer that addresses topics by catalogue id and encodes JSON values. `send` resolves only
 * when the broker has acknowledged every record (acks = all), which is what callers wait on
 * before acknowledging their own input (MQTT PUBACK, HTTP 202, consumer offsets).
 */
export class TypedProducer {
  readonly raw: Producer;
  readonly #prefix: string;
  #connected = false;

  constructor(kafka: Kafka, opts: { prefix?: string; compression?: boolean } = {}) {
    this.raw = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 5 } });
    this.#prefix = opts.prefix ?? '';
    this.raw.on(this.raw.events.CONNECT, () => {
      this.#connected = true;
    });
    this.raw.on(this.raw.events.DISCONNECT, () => {
      this.#connected = false;
    });
  }

  get connected(): boolean {
    return this.#connected;
  }

  async connect(): Promise<void> {
    await this.raw.connect();
    this.#connected = true;
  }

  async send<T extends TopicId>(
    topic: T,
    records: OutgoingRecord<TopicValue<T>>[],
    compress = false,
  ): Promise<RecordMetadata[]> {
    return this.raw.send({
      topic: topicName(topic, this.#prefix),
      acks: -1,
      compression: compress ? CompressionTypes.GZIP : CompressionTypes.None,
      messages: toKafkaMessages(records),
    });
  }

  /** Sends already-encoded values (hot path: the caller built the JSON once). */
  async sendEncoded(
    topic: TopicId,
    records: { key: string; value: Buffer | null; headers?: Record<string, string> }[],
  ) {
    return this.raw.send({ topic: topicName(topic, this.#prefix), acks: -1, messages: records });
  }

  async disconnect(): Promise<void> {
    await this.raw.disconnect();
    this.#connected = false;
  }
}
