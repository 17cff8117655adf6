import { DeadLetterRecord } from '@yujing/schemas';
import type { Consumer, Kafka } from 'kafkajs';

/** What was dead-lettered for one fuzz message (found by the marker in its raw bytes). */
export interface LetterSummary {
  reasons: string[];
  /** Every issue path of its dead letters. */
  paths: string[];
}

/**
 * Reads `yj.deadletter.v1` of the run and keeps, per fuzz message id, only the reasons and issue
 * paths (a 100,000-message run must not hold every raw body). The id comes from the marker
 * `FZ<run>x<id>Z` every fuzz body starts with; letters without one are counted apart.
 */
export class DeadLetterIndex {
  readonly byId = new Map<number, LetterSummary>();
  /**
   * Dead letters naming no fuzz message of this run, as `source:reason:raw bytes` (only the
   * empty HTTP bodies, which cannot carry a marker, should be here).
   */
  readonly unmatched: string[] = [];
  /** The first few of them in full but for the raw bytes, to show in a failure. */
  readonly unmatchedSamples: unknown[] = [];
  /** Records that are not DeadLetterRecords (should stay 0). */
  invalid = 0;
  readonly #consumer: Consumer;
  readonly #marker: RegExp;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    run: string,
    groupId: string,
  ) {
    this.#consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
    this.#marker = new RegExp(`FZ${run}x(\\d+)Z`);
  }

  get size(): number {
    return this.byId.size;
  }

  async start(): Promise<this> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.#consumer.run({
      eachMessage: async ({ message }) => {
        const parsed = DeadLetterRecord.safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
        if (!parsed.success) {
          this.invalid++;
          return;
        }
        const letter = parsed.data;
        // the marker is within the first bytes of every fuzz body (the raw is kept up to 256 KiB)
        const bytes = Buffer.from(letter.raw, 'base64');
        const id = this.#marker.exec(bytes.subarray(0, 256).toString('latin1'))?.[1];
        if (id === undefined) {
          this.unmatched.push(`${letter.source}:${letter.reason}:${bytes.length}`);
          if (this.unmatchedSamples.length < 5)
            this.unmatchedSamples.push({ ...letter, raw: bytes.subarray(0, 300).toString('utf8') });
          return;
        }
        const entry = this.byId.get(Number(id)) ?? { reasons: [], paths: [] };
        entry.reasons.push(letter.reason);
        for (const issue of letter.issues) entry.paths.push(issue.path);
        this.byId.set(Number(id), entry);
      },
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}
