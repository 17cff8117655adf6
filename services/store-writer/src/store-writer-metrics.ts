import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of store-writer: rows per table, flush latency, lag, dead letters, pauses. */
export function createStoreWriterMetrics(registry: Registry) {
  return {
    rowsWritten: new Counter({
      name: 'yujing_store_writer_rows_written_total',
      help: 'Rows QuestDB acknowledged, by table id',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'yujing_store_writer_flush_seconds',
      help: 'Duration of one ILP/HTTP write that QuestDB acknowledged, by table id',
      labelNames: ['table'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    writeFailures: new Counter({
      name: 'yujing_store_writer_write_failures_total',
      help: 'Failed writes, by table id and kind (unavailable = retried later, rejected = isolated and dead-lettered)',
      labelNames: ['table', 'kind'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'yujing_store_writer_dead_lettered_total',
      help: 'Records or rows sent to yj.deadletter.v1, by topic id and reason',
      labelNames: ['topic', 'reason'] as const,
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'yujing_store_writer_consumer_lag',
      help: 'Records between the end of the last handled batch and the partition high watermark',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    paused: new Gauge({
      name: 'yujing_store_writer_paused',
      help: '1 while consumption is paused because QuestDB is unavailable',
      registers: [registry],
    }),
  };
}
export type StoreWriterMetrics = ReturnType<typeof createStoreWriterMetrics>;

/** Metrics of the ILP writer's requests (created before the writer, which reports to them). */
export function createIlpRequestMetrics(registry: Registry) {
  const rows = new Histogram({
    name: 'yujing_store_writer_request_rows',
    help: 'Rows per acknowledged ILP/HTTP request (concurrent batches of several partitions share one)',
    buckets: [100, 500, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000],
    registers: [registry],
  });
  const calls = new Histogram({
    name: 'yujing_store_writer_request_batches',
    help: 'Partition batches (write calls) merged into one acknowledged ILP/HTTP request',
    buckets: [1, 2, 4, 8, 16, 32],
    registers: [registry],
  });
  return {
    onRequest(rowCount: number, callCount: number): void {
      rows.observe(rowCount);
      calls.observe(callCount);
    },
  };
}
