import {
  type DeadLetterPublisher,
  decodeJson,
  encodeJson,
  type TypedProducer,
  topicName,
} from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { applyCommand, evaluateBatch, snapshotState, tick } from '@yujing/rules-core';
import {
  AlarmCommand,
  type AlarmCommandResult,
  type AlarmTransitionEvent,
  issuesToRecords,
  ReadingBatch,
} from '@yujing/schemas';
import type { KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import type { EnterpriseEntry, PartitionState } from './partition-state';
import type { RulesContexts } from './rules-contexts';
import type { StateRecord } from './state-changelog';
import type { WorkerMetrics } from './worker-metrics';

export interface ProcessorDeps {
  producer: TypedProducer;
  deadLetters: DeadLetterPublisher;
  contexts: RulesContexts;
  metrics: WorkerMetrics;
  logger: Logger;
  prefix: string;
  now: () => number;
}

/** What one batch or tick produced, sent together before the input offsets are committed. */
class Outbox {
  readonly transitions: AlarmTransitionEvent[] = [];
  readonly results: AlarmCommandResult[] = [];
  readonly touched = new Map<string, EnterpriseEntry>();
}

const NOTABLE = new Set(['raise', 'escalate', 'chatter', 'shelve-expired']);

/**
 * Turns input records into engine calls and the engine's output into Kafka records. Transitions,
 * command results and the snapshots of the enterprises they concern go out in one acknowledged
 * produce request; the caller commits offsets only after `flush` resolved, and readings offsets
 * only up to `PartitionState.replayFrom` (records whose state is not yet snapshotted).
 */
export class RulesProcessor {
  readonly #log: Logger;
  constructor(private readonly deps: ProcessorDeps) {
    this.#log = deps.logger.child({ component: 'rules-processor' });
  }

  async readings(part: PartitionState, topic: string, messages: readonly KafkaMessage[]): Promise<void> {
    const { contexts, metrics, now } = this.deps;
    const out = new Outbox();
    const takenAt = now();
    const stop = metrics.evaluationSeconds.startTimer();
    metrics.batchRecords.observe(messages.length);
    for (const m of messages) {
      metrics.alarmPath.observe('kafka_to_rules', takenAt - Number(m.timestamp));
      const offset = BigInt(m.offset);
      const batch = await this.#decodeOrDeadLetter(ReadingBatch, m, topic, part.partition);
      if (!batch) continue;
      const ctx = contexts.get(batch.enterpriseId);
      if (!ctx) {
        await this.#deadLetter(
          'unknown-enterprise',
          m,
          topic,
          part.partition,
          `enterprise ${batch.enterpriseId} is not in the registry`,
        );
        continue;
      }
      const e = part.entry(batch.enterpriseId);
      if (offset < e.readingsNext) continue; // already in the restored state
      const res = evaluateBatch(e.state, batch, ctx, now());
      e.readingsNext = offset + 1n;
      if (e.dirtyFrom === undefined) e.dirtyFrom = offset;
      // A record that emitted nothing is replayed on restore instead of snapshotted now (ADR 0001).
      if (res.transitions.length > 0 || e.snapshotDue) out.touched.set(batch.enterpriseId, e);
      out.transitions.push(...res.transitions);
      metrics.readings.inc(res.evaluated);
      if (res.outOfOrder) metrics.skipped.inc({ reason: 'out-of-order' }, res.outOfOrder);
      if (res.unknownPoints) metrics.skipped.inc({ reason: 'unknown-point' }, res.unknownPoints);
      if (res.invalid) metrics.skipped.inc({ reason: 'invalid' }, res.invalid);
    }
    stop();
    await this.flush(out);
    if (out.transitions.length > 0) {
      const ackedAt = now();
      for (let i = 0; i < out.transitions.length; i++)
        metrics.alarmPath.observe('rules_to_alarm', ackedAt - takenAt);
    }
  }

  async commands(part: PartitionState, topic: string, messages: readonly KafkaMessage[]): Promise<void> {
    const { contexts, metrics, now } = this.deps;
    const out = new Outbox();
    for (const m of messages) {
      const offset = BigInt(m.offset);
      const cmd = await this.#decodeOrDeadLetter(AlarmCommand, m, topic, part.partition);
      if (!cmd) continue;
      const ctx = contexts.get(cmd.enterpriseId);
      const e = part.entry(cmd.enterpriseId);
      if (offset < e.commandsNext) continue;
      e.commandsNext = offset + 1n;
      out.touched.set(cmd.enterpriseId, e);
      if (!ctx) {
        out.results.push({
          commandId: cmd.commandId,
          alarmId: cmd.alarmId,
          enterpriseId: cmd.enterpriseId,
          ok: false,
          code: 'YJ_ERR_ALARM_NOT_FOUND',
          message: 'enterprise not in the registry',
          at: now(),
        });
        metrics.commands.inc({ action: cmd.action, outcome: 'YJ_ERR_ALARM_NOT_FOUND' });
        continue;
      }
      const res = applyCommand(e.state, cmd, ctx, now());
      out.transitions.push(...res.transitions);
      out.results.push(res.result);
      metrics.commands.inc({ action: cmd.action, outcome: res.result.code ?? 'ok' });
      const fields = {
        enterpriseId: cmd.enterpriseId,
        alarmId: cmd.alarmId,
        commandId: cmd.commandId,
        action: cmd.action,
        actor: cmd.actor.id,
      };
      if (res.result.ok) this.#log.info(fields, 'alarm command applied');
      else this.#log.warn({ ...fields, code: res.result.code }, 'alarm command refused');
    }
    await this.flush(out);
  }

  /**
   * The wall-clock pass over one partition (engine ticks only once it is live), which also
   * snapshots every state changed by records since its last snapshot. A readings record that
   * emitted nothing is written here, at the latest, so a restore replays at most one interval;
   * and no tick ever runs between a snapshot and the records a restore replays on top of it.
   */
  async tick(part: PartitionState): Promise<void> {
    const out = new Outbox();
    const now = this.deps.now();
    for (const [enterpriseId, e] of part.enterprises) {
      const ctx = part.live ? this.deps.contexts.get(enterpriseId) : undefined;
      if (ctx) {
        const res = tick(e.state, ctx, now);
        out.transitions.push(...res.transitions);
        if (res.transitions.length > 0 || e.dirtyFrom !== undefined) out.touched.set(enterpriseId, e);
        else e.snapshotDue = true;
      } else if (e.dirtyFrom !== undefined) {
        out.touched.set(enterpriseId, e);
      }
    }
    await this.flush(out);
  }

  /** Sends transitions, results and snapshots in one produce request (acks = all). */
  async flush(out: Outbox): Promise<void> {
    if (out.transitions.length === 0 && out.results.length === 0 && out.touched.size === 0) return;
    const { producer, prefix, metrics } = this.deps;
    const now = this.deps.now();
    const states = [...out.touched].map(([enterpriseId, e]) => {
      const record: StateRecord = {
        v: 1,
        enterpriseId,
        readingsNext: e.readingsNext.toString(),
        commandsNext: e.commandsNext.toString(),
        writtenAt: now,
        state: snapshotState(e.state),
      };
      const value = encodeJson(record);
      e.bytes = value.length;
      return { key: enterpriseId, value };
    });
    const topicMessages = [];
    if (out.transitions.length > 0) {
      topicMessages.push({
        topic: topicName('alarms', prefix),
        messages: out.transitions.map((t) => ({ key: t.enterpriseId, value: encodeJson(t) })),
      });
    }
    if (out.results.length > 0) {
      topicMessages.push({
        topic: topicName('alarmCommandResults', prefix),
        messages: out.results.map((r) => ({ key: r.enterpriseId, value: encodeJson(r) })),
      });
    }
    if (states.length > 0) topicMessages.push({ topic: topicName('rulesState', prefix), messages: states });
    await producer.raw.sendBatch({ acks: -1, topicMessages });
    metrics.snapshots.inc(states.length);
    for (const s of states) metrics.snapshotBytes.inc(s.value.length);
    for (const e of out.touched.values()) {
      e.dirtyFrom = undefined;
      e.snapshotDue = false;
    }
    for (const t of out.transitions) {
      metrics.transitions.inc({ kind: t.kind, transition: t.transition, level: String(t.level) });
      const fields = {
        enterpriseId: t.enterpriseId,
        point: t.point,
        alarmId: t.alarmId,
        transition: t.transition,
        level: t.level,
        state: t.state,
      };
      if (NOTABLE.has(t.transition)) this.#log.info(fields, 'alarm transition');
      else this.#log.debug(fields, 'alarm transition');
    }
  }

  /** The record's value validated against `schema`, or undefined once it is on the dead-letter topic. */
  async #decodeOrDeadLetter<S extends z.ZodType>(
    schema: S,
    m: KafkaMessage,
    topic: string,
    partition: number,
  ): Promise<z.output<S> | undefined> {
    const decoded = decodeJson(schema, m.value);
    if (decoded.ok) return decoded.value;
    await this.#deadLetter(decoded.reason, m, topic, partition, decoded.error.message, decoded.issues);
    return undefined;
  }

  async #deadLetter(
    reason: string,
    m: KafkaMessage,
    topic: string,
    partition: number,
    message: string,
    issues: Parameters<typeof issuesToRecords>[0] = [],
  ): Promise<void> {
    this.deps.metrics.deadLetters.inc({ reason });
    this.#log.warn({ topic, partition, offset: m.offset, reason }, 'input dead-lettered');
    await this.deps.deadLetters.publish({
      source: 'rules-worker',
      reason,
      message,
      issues: issuesToRecords(issues),
      context: { topic, partition: String(partition), offset: m.offset },
      raw: m.value ?? Buffer.alloc(0),
    });
  }
}
