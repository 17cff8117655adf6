import type { BatchContext, DeadLetterPublisher } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { type IlpWriter, questdbErrors, type TableNames } from '@yujing/questdb';
import type { Batch } from 'kafkajs';
import { type PendingRow, type Rejection, recordRows, type SinkTopic } from './record-rows';
import { storeWriterErrors } from './store-writer-errors';
import type { StoreWriterMetrics } from './store-writer-metrics';

export interface BatchSinkOptions {
  writer: IlpWriter;
  deadLetters: DeadLetterPublisher;
  tables: TableNames;
  metrics: StoreWriterMetrics;
  logger: Logger;
  writeMaxRows: number;
  maxFutureMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  now?: () => number;
}

const TABLE_OF: Record<SinkTopic, keyof TableNames> = {
  readings: 'readings',
  alarms: 'alarm_events',
  deliveries: 'deliveries',
  gatewayEvents: 'gateway_status',
};

/**
 * Writes one Kafka batch into QuestDB and resolves only when every row is acknowledged or
 * dead-lettered, so the caller may then commit the offsets.
 * - QuestDB unavailable: pause consumption, back off (jittered, capped), retry the same rows
 *   until it answers or the consumer stops (then throw: nothing is committed, nothing lost).
 * - QuestDB rejects rows (4xx): bisect down to the single bad row, dead-letter it with the
 *   server's reason, write the rest. The partition never blocks on a bad row.
 */
export class BatchSink {
  readonly #o: BatchSinkOptions;
  readonly #now: () => number;

  constructor(opts: BatchSinkOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  async handle(topic: SinkTopic, batch: Batch, ctx: BatchContext): Promise<void> {
    const rows: PendingRow[] = [];
    const rejected: Rejection[] = [];
    const now = this.#now();
    for (const message of batch.messages) {
      const out = recordRows(topic, this.#o.tables, message, now, this.#o.maxFutureMs);
      rows.push(...out.rows);
      rejected.push(...out.rejected);
    }
    for (const r of rejected) {
      await this.#deadLetter(topic, batch, r.offset, r.reason, r.message, r.raw, r.issues);
    }
    for (let i = 0; i < rows.length; i += this.#o.writeMaxRows) {
      await this.#writeIsolating(topic, batch, rows.slice(i, i + this.#o.writeMaxRows), ctx);
    }
    this.#o.metrics.consumerLag.set({ topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
  }

  async #writeIsolating(
    topic: SinkTopic,
    batch: Batch,
    rows: PendingRow[],
    ctx: BatchContext,
  ): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.#writeUntilAcknowledged(topic, rows, ctx);
    } catch (err) {
      if (!questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(err)) throw err;
      this.#o.metrics.writeFailures.inc({ table: TABLE_OF[topic], kind: 'rejected' });
      if (rows.length === 1) {
        const [row] = rows as [PendingRow];
        await this.#deadLetter(topic, batch, row.offset, 'questdb-rejected', err.message, row.raw(), []);
        return;
      }
      const half = Math.ceil(rows.length / 2);
      await this.#writeIsolating(topic, batch, rows.slice(0, half), ctx);
      await this.#writeIsolating(topic, batch, rows.slice(half), ctx);
    }
  }

  async #writeUntilAcknowledged(topic: SinkTopic, rows: PendingRow[], ctx: BatchContext): Promise<void> {
    const table = TABLE_OF[topic];
    let delay = this.#o.retryInitialMs;
    let paused = false;
    try {
      for (;;) {
        const started = performance.now();
        try {
          await this.#o.writer.write(rows.map((r) => r.row));
          this.#o.metrics.flushSeconds.observe({ table }, (performance.now() - started) / 1000);
          this.#o.metrics.rowsWritten.inc({ table }, rows.length);
          if (paused) this.#o.logger.info({ table }, 'QuestDB available again, resuming');
          return;
        } catch (err) {
          if (!questdbErrors.YJ_ERR_QUESTDB_UNAVAILABLE.is(err)) throw err;
          this.#o.metrics.writeFailures.inc({ table, kind: 'unavailable' });
          if (!paused) {
            this.#o.logger.warn(
              { table, rows: rows.length, err: err.message },
              'QuestDB unavailable, pausing',
            );
            this.#o.metrics.paused.set(1);
            ctx.pause();
            paused = true;
          }
        }
        if (!ctx.isRunning()) throw storeWriterErrors.YJ_ERR_STOREWRITER_STOPPED();
        await ctx.heartbeat();
        await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
        delay = Math.min(delay * 2, this.#o.retryMaxMs);
      }
    } finally {
      // Also on failure (stop, rebalance): a redelivered batch must not find the consumer paused forever.
      if (paused) {
        this.#o.metrics.paused.set(0);
        ctx.resume();
      }
    }
  }

  async #deadLetter(
    topic: SinkTopic,
    batch: Batch,
    offset: string,
    reason: string,
    message: string,
    raw: Buffer,
    issues: Rejection['issues'],
  ): Promise<void> {
    await this.#o.deadLetters.publish({
      source: 'store-writer',
      reason,
      message,
      issues,
      raw,
      context: { topic: batch.topic, partition: String(batch.partition), offset },
    });
    this.#o.metrics.deadLettered.inc({ topic, reason });
    this.#o.logger.warn({ topic: batch.topic, partition: batch.partition, offset, reason }, 'dead-lettered');
  }
}
