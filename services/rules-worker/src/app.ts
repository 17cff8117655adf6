import { DeadLetterPublisher, TypedProducer, topicName } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { RegistryReader, type RegistryStore } from '@yujing/registry';
import type { RulesOptions } from '@yujing/rules-core';
import { createMetricsRegistry, type ReadinessCheck } from '@yujing/service-runtime';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { CoPartitionAssigner } from './co-partition-assigner';
import type { RulesWorkerConfig } from './config';
import { PartitionState } from './partition-state';
import { RulesContexts } from './rules-contexts';
import { RulesProcessor } from './rules-processor';
import { rulesWorkerErrors } from './rules-worker-errors';
import { StateChangelog } from './state-changelog';
import { createWorkerMetrics } from './worker-metrics';

export interface RulesWorkerDeps {
  config: RulesWorkerConfig;
  logger: Logger;
  kafka: Kafka;
  /** Wall clock; tests may pass their own. */
  now?: () => number;
  /** Prometheus registry (a new one by default). */
  metricsRegistry?: Registry;
  /** Registry store to fill from yj.registry.v1 (a new one by default). */
  store?: RegistryStore;
}

export interface RulesWorker {
  start(): Promise<void>;
  /** Stop intake (ticks, consumer after its in-flight batch) → close clients. */
  stop(): Promise<void>;
  readonly metricsRegistry: Registry;
  readonly readiness: Record<string, ReadinessCheck>;
  /** Partitions this member owns and has restored. */
  ownedPartitions(): number[];
}

/** Wires the rules-worker without starting it. */
export function build(deps: RulesWorkerDeps): RulesWorker {
  const { config, kafka } = deps;
  const log = deps.logger;
  const now = deps.now ?? Date.now;
  const prefix = config.TOPIC_PREFIX;
  const readingsTopic = topicName('readings', prefix);
  const commandsTopic = topicName('alarmCommands', prefix);
  const metricsRegistry = deps.metricsRegistry ?? createMetricsRegistry('rules-worker');
  const metrics = createWorkerMetrics(metricsRegistry);
  const reader = new RegistryReader({
    kafka,
    prefix,
    logger: log,
    ...(deps.store ? { store: deps.store } : {}),
  });
  const options: Partial<RulesOptions> = {
    maxShelveMs: config.MAX_SHELVE_MS,
    deescalateHoldMs: config.DEESCALATE_HOLD_MS,
    chatterCount: config.CHATTER_COUNT,
    chatterWindowMs: config.CHATTER_WINDOW_MS,
    gatewayOfflineLevel: config.GATEWAY_OFFLINE_LEVEL,
    defaultGatewayTimeoutMs: config.DEFAULT_GATEWAY_TIMEOUT_MS,
  };
  const contexts = new RulesContexts(reader.store, options);
  const producer = new TypedProducer(kafka, { prefix });
  const changelog = new StateChangelog(kafka, topicName('rulesState', prefix), log);
  const processor = new RulesProcessor({
    producer,
    deadLetters: new DeadLetterPublisher(producer),
    contexts,
    metrics,
    logger: log,
    prefix,
    now,
  });

  let partitions = new Map<number, PartitionState>();
  let assigned: number[] = [];
  let generation = 0;
  let restoring: Promise<void> = Promise.resolve();
  let consumer: Consumer | undefined;
  let joined = false;
  /** Between a rebalance starting and the new assignment: ticks write nothing. */
  let rebalancing = false;
  /** Readings offsets this member last committed, per partition (reset on assignment). */
  let committedReadings = new Map<number, bigint>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // One engine call at a time: batches of both topics and the tick share the partition state.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  /** Rebuilds partitions from the changelog once it has caught up; `live` from the readings backlog. */
  async function restore(ps: readonly number[]): Promise<Map<number, PartitionState>> {
    await changelog.waitCaughtUp(ps, config.RESTORE_TIMEOUT_MS);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const high = new Map(
        (await admin.fetchTopicOffsets(readingsTopic)).map((o) => [o.partition, BigInt(o.high)]),
      );
      const [committed] = await admin.fetchOffsets({ groupId: config.GROUP_ID, topics: [readingsTopic] });
      const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      const next = new Map<number, PartitionState>();
      for (const p of ps) {
        const part = PartitionState.restore(p, changelog.recordsOf(p));
        part.liveFrom = high.get(p) ?? 0n;
        part.reached(done.get(p) ?? 0n);
        next.set(p, part);
      }
      const enterprises = [...next.values()].reduce((n, part) => n + part.enterprises.size, 0);
      metrics.restores.inc(ps.length);
      log.info({ partitions: ps, enterprises }, 'partitions restored from the state changelog');
      return next;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The partition's state, restored again if it was dropped: after a failed send the in-memory
   * state is ahead of what Kafka holds, so it is discarded and rebuilt from the changelog before
   * the redelivered records are evaluated.
   */
  async function ensure(p: number): Promise<PartitionState> {
    const held = partitions.get(p);
    if (held) return held;
    const gen = generation;
    const part = (await restore([p])).get(p)!;
    if (gen === generation) partitions.set(p, part);
    return part;
  }

  /**
   * Runs `fn` on the partition's state. On failure the state is dropped (restored again on next
   * use) and the readings consumer is moved back to the first record not yet in a snapshot, so
   * the restore replays what the discarded state had absorbed silently.
   */
  async function guarded(p: number, fn: (part: PartitionState) => Promise<void>): Promise<void> {
    const part = await ensure(p);
    try {
      await fn(part);
    } catch (err) {
      const from = part.replayFrom(part.consumedNext);
      if (partitions.get(p) === part) partitions.delete(p);
      try {
        if (from < part.consumedNext)
          consumer?.seek({ topic: readingsTopic, partition: p, offset: from.toString() });
      } catch (seekErr) {
        // Only while stopping: the next owner resumes from the committed offset, which is ≤ `from`.
        log.warn({ err: seekErr, partition: p }, 'could not move the readings consumer back');
      }
      throw err;
    }
  }

  async function eachBatch({
    batch,
    heartbeat,
    isRunning,
    isStale,
    resolveOffset,
  }: EachBatchPayload): Promise<void> {
    if (batch.isEmpty()) return;
    const gen = generation;
    await restoring;
    if (stopped || !isRunning() || isStale() || gen !== generation) return;
    let commitNext: bigint | undefined;
    await serial(() =>
      guarded(batch.partition, async (part) => {
        // A seek after a failure (or a rebalance) while this batch waited makes it obsolete: its
        // records follow a gap the restored state has not seen yet.
        if (isStale() || gen !== generation) return;
        if (batch.topic === readingsTopic) {
          await processor.readings(part, batch.topic, batch.messages);
          part.consumedNext = BigInt(batch.lastOffset()) + 1n;
          part.reached(part.consumedNext);
          commitNext = part.replayFrom(part.consumedNext);
        } else {
          await processor.commands(part, batch.topic, batch.messages);
          commitNext = BigInt(batch.lastOffset()) + 1n;
        }
      }),
    );
    if (commitNext === undefined) return;
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    resolveOffset(batch.lastOffset());
    // The readings offset only moves when records got snapshotted (mostly at the wall-clock pass),
    // so most readings batches have nothing new to commit and save the round trip.
    const isReadings = batch.topic === readingsTopic;
    if (!isReadings || commitNext > (committedReadings.get(batch.partition) ?? 0n)) {
      if (isReadings) committedReadings.set(batch.partition, commitNext);
      await consumer!.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: commitNext.toString() },
      ]);
    }
    await heartbeat();
  }

  async function runTick(): Promise<void> {
    await restoring;
    const gen = generation;
    const commits: Array<{ topic: string; partition: number; offset: string }> = [];
    await serial(async () => {
      let bytes = 0;
      const gateways = { online: 0, offline: 0 };
      for (const p of assigned) {
        // Stop writing snapshots once a rebalance began: the partitions may be moving.
        if (stopped || rebalancing || gen !== generation) return;
        await guarded(p, (part) => processor.tick(part)).catch((err: unknown) =>
          log.error({ err, partition: p }, 'tick failed; partition state will be restored'),
        );
        const part = partitions.get(p);
        if (!part) continue;
        for (const e of part.enterprises.values()) bytes += e.bytes;
        const counts = part.gatewayCounts();
        gateways.online += counts.online;
        gateways.offline += counts.offline;
        // The snapshots just written let the readings offset move past records they now cover.
        const next = part.replayFrom(part.consumedNext);
        if (next > (committedReadings.get(p) ?? 0n)) {
          committedReadings.set(p, next);
          commits.push({ topic: readingsTopic, partition: p, offset: next.toString() });
        }
      }
      metrics.stateBytes.set(bytes);
      metrics.gateways.set({ state: 'online' }, gateways.online);
      metrics.gateways.set({ state: 'offline' }, gateways.offline);
      metrics.enterprises.set([...partitions.values()].reduce((n, part) => n + part.enterprises.size, 0));
    });
    // Outside the engine chain: a commit retried during a rebalance must not hold up batches.
    if (commits.length > 0 && !stopped && gen === generation) {
      await consumer
        ?.commitOffsets(commits)
        .catch((err: unknown) =>
          log.warn({ err }, 'readings offset commit after the tick failed; the next batch commits'),
        );
    }
  }

  async function checkPartitions(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = [readingsTopic, commandsTopic, topicName('rulesState', prefix)];
      const meta = await admin.fetchTopicMetadata({ topics });
      const counts = meta.topics.map((t) => t.partitions.length);
      if (new Set(counts).size !== 1) {
        throw rulesWorkerErrors.YJ_ERR_RULES_PARTITIONS_MISMATCH(undefined, { context: { topics, counts } });
      }
    } finally {
      await admin.disconnect();
    }
  }

  return {
    metricsRegistry,
    readiness: {
      registry: () => reader.ready,
      consumer: () => joined && !stopped,
      producer: () => producer.connected,
    },
    ownedPartitions: () => [...partitions.keys()].sort((a, b) => a - b),

    async start() {
      await checkPartitions();
      await reader.start();
      await producer.connect();
      await changelog.start();
      const c = kafka.consumer({
        groupId: config.GROUP_ID,
        partitionAssigners: [CoPartitionAssigner],
        sessionTimeout: config.SESSION_TIMEOUT_MS,
        heartbeatInterval: Math.max(500, Math.floor(config.SESSION_TIMEOUT_MS / 10)),
        minBytes: config.FETCH_MIN_BYTES,
        maxWaitTimeInMs: config.FETCH_MAX_WAIT_MS,
        maxBytesPerPartition: config.FETCH_MAX_BYTES_PER_PARTITION,
      });
      consumer = c;
      c.on(c.events.GROUP_JOIN, (e) => {
        joined = true;
        const gen = ++generation;
        const mine = [...(e.payload.memberAssignment[readingsTopic] ?? [])].sort((a, b) => a - b);
        log.info({ generation: gen, partitions: mine }, 'partitions assigned');
        assigned = mine;
        rebalancing = false;
        committedReadings = new Map();
        partitions = new Map();
        restoring = restore(mine).then(
          (restored) => {
            if (gen === generation) partitions = restored; // else a newer rebalance superseded this one
          },
          (err: unknown) => {
            log.error({ err, partitions: mine }, 'partition restore failed; retried on the next batch');
          },
        );
      });
      c.on(c.events.REBALANCING, () => {
        rebalancing = true;
      });
      c.on(c.events.CRASH, (e) =>
        log.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed'),
      );
      await c.connect();
      await c.subscribe({ topics: [readingsTopic, commandsTopic], fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch,
      });
      timer = setInterval(() => {
        runTick().catch((err) => log.error({ err }, 'tick failed; retried on the next interval'));
      }, config.TICK_INTERVAL_MS);
      timer.unref();
      log.info({ groupId: config.GROUP_ID, topics: [readingsTopic, commandsTopic] }, 'rules-worker started');
    },

    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      const steps: Array<[string, () => Promise<unknown> | unknown]> = [
        ['consumer', async () => consumer && (await consumer.disconnect())],
        ['drain', () => chain],
        ['changelog', () => changelog.stop()],
        ['registry', () => reader.stop()],
        ['producer', () => producer.disconnect()],
        ['contexts', () => contexts.close()],
      ];
      for (const [name, run] of steps) {
        try {
          await run();
        } catch (err) {
          log.error({ err, step: name }, 'rules-worker stop step failed');
        }
      }
    },
  };
}
