import type { Message, TopicMessages } from 'kafkajs';
import { type TopicId, type TopicValue, topicName } from './topic-catalogue';
import { type OutgoingRecord, type TypedProducer, toKafkaMessages } from './typed-producer';

/** One produce request's worth of coalesced sends, handed to the injected `sendBatch`. */
export type SendBatch = (topicMessages: TopicMessages[]) => Promise<unknown>;

/** What a flush sent, for metrics: calls coalesced, records and value+key bytes. */
export interface LingerFlush {
  calls: number;
  records: number;
  bytes: number;
}

export interface LingerProducerOptions {
  /** Sends one batch with acks = all; resolves when the broker acknowledged all of it. */
  sendBatch: SendBatch;
  /** Topic prefix (tests isolate themselves with one). */
  prefix?: string;
  /**
   * While a batch is in flight (and fewer than `maxInFlight` are), a new batch waits at most this
   * long after its first queued record before it is sent alongside. Irrelevant when
   * `maxInFlight` is 1: the queue then goes out when the batch in flight is acknowledged.
   */
  lingerMs?: number;
  /** A batch is sent as soon as this many records are queued (one call is never split). */
  maxBatchRecords?: number;
  /** … or this many key + value bytes. */
  maxBatchBytes?: number;
  /** Produce requests in flight at once. 1 = each batch waits for the previous acknowledgement. */
  maxInFlight?: number;
  /** Called after each batch is acknowledged (metrics). */
  onFlush?: (flush: LingerFlush) => void;
}

interface PendingCall {
  topic: string;
  messages: Message[];
  bytes: number;
  /** `topic\0key` of every record, for the in-flight key gate. */
  keys: string[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

type Settings = Required<Omit<LingerProducerOptions, 'onFlush'>> & Pick<LingerProducerOptions, 'onFlush'>;

/**
 * 768 KiB keeps every partition's share of a request under the broker's default 1 MiB
 * `max.message.bytes` (the dead-letter and event topics keep that default), record overhead included.
 */
const DEFAULTS = { prefix: '', lingerMs: 5, maxBatchRecords: 500, maxBatchBytes: 768 * 1024, maxInFlight: 1 };

/**
 * Coalesces concurrent sends into one `sendBatch` (one produce request per broker, acks = all).
 * Each caller's promise resolves when the batch holding its records was acknowledged, and rejects
 * with that batch's error (the caller retries, e.g. with deliverUntilAcked; nothing is retried
 * here, so at-least-once stays the caller's business: it acknowledges its input only after this
 * resolves).
 *
 * When to send (adaptive, Nagle-like):
 * - nothing in flight → at the next turn of the event loop (setImmediate), so what arrived in the
 *   same I/O phase goes together and a lone message waits for nothing;
 * - a batch in flight → the queue grows until that batch is acknowledged, then goes at once:
 *   the busier Kafka is, the larger the batches and the fewer the requests;
 * - with `maxInFlight` > 1, a further batch also goes `lingerMs` after its first record;
 * - `maxBatchRecords` / `maxBatchBytes` reached → sent now (if a request slot is free).
 *
 * Order per key: calls are queued in call order, one call's records stay together and in order,
 * and a batch takes calls from the head of the queue in order, so within a batch the records of
 * a key keep call order (kafkajs keeps message order per partition, and one key is one
 * partition). Across batches, a call whose key (topic + key) is in a batch still in flight, or
 * in an earlier call left in the queue, stays queued until that batch is acknowledged; so two
 * requests never carry the same key at once and a retry inside kafkajs cannot overtake.
 */
export class LingerProducer {
  readonly #o: Settings;
  #queue: PendingCall[] = [];
  #queuedRecords = 0;
  #queuedBytes = 0;
  #inFlight = 0;
  /** Keys carried by in-flight batches, with the number of in-flight calls holding each. */
  readonly #keysInFlight = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;

  constructor(opts: LingerProducerOptions) {
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
    this.#o = { ...DEFAULTS, ...given } as Settings;
    for (const n of ['maxInFlight', 'maxBatchRecords', 'maxBatchBytes'] as const)
      if (!(this.#o[n] >= 1)) throw new RangeError(`${n} must be at least 1`);
  }

  /** A coalescer in front of a TypedProducer's kafkajs producer (acks = all, no compression). */
  static over(producer: TypedProducer, opts: Omit<LingerProducerOptions, 'sendBatch'> = {}): LingerProducer {
    return new LingerProducer({
      ...opts,
      sendBatch: (topicMessages) => producer.raw.sendBatch({ topicMessages, acks: -1 }),
    });
  }

  /** Records waiting for a batch (not yet handed to Kafka). */
  get queuedRecords(): number {
    return this.#queuedRecords;
  }

  /** Batches handed to Kafka and not yet acknowledged. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** JSON-encodes the values now (the caller's turn) and resolves once Kafka acknowledged them. */
  send<T extends TopicId>(topic: T, records: OutgoingRecord<TopicValue<T>>[]): Promise<void> {
    return this.#enqueue(topic, toKafkaMessages(records));
  }

  /** Sends already-encoded values (hot path: the caller built the JSON once). */
  sendEncoded(
    topic: TopicId,
    records: { key: string; value: Buffer | null; headers?: Record<string, string> }[],
  ): Promise<void> {
    return this.#enqueue(topic, records);
  }

  #enqueue(topic: TopicId, messages: Message[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const name = topicName(topic, this.#o.prefix);
    let bytes = 0;
    const keys: string[] = [];
    for (const m of messages) {
      const key = m.key == null ? '' : String(m.key);
      bytes += key.length + (m.value == null ? 0 : m.value.length);
      keys.push(`${name}\0${key}`);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ topic: name, messages, bytes, keys, resolve, reject });
      this.#queuedRecords += messages.length;
      this.#queuedBytes += bytes;
      this.#schedule();
    });
  }

  /** Decides when the queue goes: now, next turn, after the linger, or when a batch returns. */
  #schedule(): void {
    if (this.#queue.length === 0) return;
    if (this.#inFlight >= this.#o.maxInFlight) return; // #settled reschedules
    if (this.#queuedRecords >= this.#o.maxBatchRecords || this.#queuedBytes >= this.#o.maxBatchBytes) {
      this.#flush();
      return;
    }
    if (this.#inFlight === 0) {
      this.#immediate ??= setImmediate(() => {
        this.#immediate = undefined;
        this.#flush();
      });
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#o.lingerMs);
  }

  #flush(): void {
    this.#cancelTimers();
    if (this.#inFlight >= this.#o.maxInFlight || this.#queue.length === 0) return;
    const batch = this.#takeBatch();
    // Nothing sendable: every queued call waits for a key in flight, whose settling reschedules.
    if (batch.length === 0) return;
    this.#sendBatch(batch);
    // What is left (over the size caps, or gated by a key in flight) waits for its own trigger.
    this.#schedule();
  }

  /** Takes calls from the head, in order, up to the caps, skipping keys already in flight. */
  #takeBatch(): PendingCall[] {
    const taken: PendingCall[] = [];
    const kept: PendingCall[] = [];
    const blocked = new Set<string>();
    let records = 0;
    let bytes = 0;
    let full = false;
    for (const call of this.#queue) {
      const gated = call.keys.some((k) => this.#keysInFlight.has(k) || blocked.has(k));
      const fits =
        taken.length === 0 ||
        (records + call.messages.length <= this.#o.maxBatchRecords &&
          bytes + call.bytes <= this.#o.maxBatchBytes);
      if (full || gated || !fits) {
        full ||= !fits && !gated;
        for (const k of call.keys) blocked.add(k);
        kept.push(call);
        continue;
      }
      taken.push(call);
      records += call.messages.length;
      bytes += call.bytes;
    }
    this.#queue = kept;
    this.#queuedRecords -= records;
    this.#queuedBytes -= bytes;
    return taken;
  }

  #sendBatch(calls: PendingCall[]): void {
    const byTopic = new Map<string, Message[]>();
    let records = 0;
    let bytes = 0;
    for (const call of calls) {
      const messages = byTopic.get(call.topic);
      if (messages) for (const m of call.messages) messages.push(m);
      else byTopic.set(call.topic, call.messages.slice());
      records += call.messages.length;
      bytes += call.bytes;
      for (const k of call.keys) this.#keysInFlight.set(k, (this.#keysInFlight.get(k) ?? 0) + 1);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    this.#inFlight++;
    let sent: Promise<unknown>;
    try {
      sent = this.#o.sendBatch(topicMessages);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      () => {
        this.#settled(calls);
        this.#o.onFlush?.({ calls: calls.length, records, bytes });
        for (const call of calls) call.resolve();
      },
      (err: unknown) => {
        this.#settled(calls);
        for (const call of calls) call.reject(err);
      },
    );
  }

  #settled(calls: PendingCall[]): void {
    this.#inFlight--;
    for (const call of calls)
      for (const k of call.keys) {
        const n = (this.#keysInFlight.get(k) ?? 1) - 1;
        if (n === 0) this.#keysInFlight.delete(k);
        else this.#keysInFlight.set(k, n);
      }
    // The queue has waited for this batch already: send it now rather than a turn later.
    if (this.#inFlight === 0 && this.#queue.length > 0) this.#flush();
    else this.#schedule();
  }

  #cancelTimers(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }
}
