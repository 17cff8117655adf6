import type { GatewayEvent } from '@yujing/schemas';
import { GatewaySequence } from './gateway-sequence';

export interface SequenceTrackerOptions {
  /** Sequence numbers remembered per gateway for replay detection (memory: 17 bytes each). */
  window: number;
  /** A missing seq is reported as a gap only if it has not arrived this long after its successor. */
  gapGraceMs: number;
  /** Missing ranges kept per gateway before the oldest are merged. */
  maxMissingRanges: number;
}

export const DEFAULT_SEQUENCE_OPTIONS: Readonly<SequenceTrackerOptions> = Object.freeze({
  window: 1024,
  gapGraceMs: 30_000,
  maxMissingRanges: 16,
});

export type SequenceVerdict = { duplicate: true } | { duplicate: false; events: GatewayEvent[] };

export interface GapReport {
  enterpriseId: string;
  gatewayId: string;
  missing: number;
  event: GatewayEvent;
}

/**
 * Replay and gap tracking per gateway, for one ingest instance. Protocol per message:
 * `check` (before producing; a duplicate is dropped, otherwise the seq is marked pending so a
 * concurrent copy is a duplicate too) → `commit` once Kafka acknowledged, or `release` if it
 * failed (so the redelivery is accepted). `sweep(now)` reports missing seqs that stayed missing
 * past the grace (reordering across connections is not a gap). Pure: the clock is a parameter.
 */
export class SequenceTracker {
  readonly #opts: SequenceTrackerOptions;
  readonly #gateways = new Map<string, { enterpriseId: string; gatewayId: string; seq: GatewaySequence }>();

  constructor(opts: Partial<SequenceTrackerOptions> = {}) {
    this.#opts = { ...DEFAULT_SEQUENCE_OPTIONS, ...opts };
  }

  get size(): number {
    return this.#gateways.size;
  }

  check(enterpriseId: string, gatewayId: string, seq: number, sentAt: number, now: number): SequenceVerdict {
    const key = `${enterpriseId}:${gatewayId}`;
    let entry = this.#gateways.get(key);
    const events: GatewayEvent[] = [];
    if (!entry) {
      entry = { enterpriseId, gatewayId, seq: new GatewaySequence(this.#opts.window) };
      this.#gateways.set(key, entry);
      events.push({ enterpriseId, gatewayId, type: 'online', reason: 'first-message', at: now });
    }
    const state = entry.seq;
    const held = state.holds(seq, sentAt);
    if (held === 'same') return { duplicate: true };
    const tooOld = state.highest >= 0 && seq <= state.highest - this.#opts.window;
    if (held === 'other' || tooOld) {
      // The gateway restarted its numbering (or we cannot vouch for seqs this old): start over.
      events.push({
        enterpriseId,
        gatewayId,
        type: 'seq-reset',
        reason: 'sequence',
        at: now,
        // after seq 2^53-1 the next one is not a safe integer (the event's schema): then left out
        detail: Number.isSafeInteger(state.highest + 1)
          ? { expectedSeq: state.highest + 1, gotSeq: seq }
          : { gotSeq: seq },
      });
      entry.seq = new GatewaySequence(this.#opts.window);
    }
    entry.seq.markPending(seq, sentAt);
    return { duplicate: false, events };
  }

  /** Kafka has the output of this message. Returns the seqs newly missing below it (not yet gaps). */
  commit(enterpriseId: string, gatewayId: string, seq: number, sentAt: number, now: number): number {
    const entry = this.#gateways.get(`${enterpriseId}:${gatewayId}`);
    return entry ? entry.seq.commit(seq, sentAt, now, this.#opts.maxMissingRanges) : 0;
  }

  /** The output of this message failed: forget it so a redelivery is not taken for a replay. */
  release(enterpriseId: string, gatewayId: string, seq: number, sentAt: number): void {
    this.#gateways.get(`${enterpriseId}:${gatewayId}`)?.seq.release(seq, sentAt);
  }

  /** Gaps that outlived the grace, as `seq-gap` events (one per missing range). */
  sweep(now: number): GapReport[] {
    const reports: GapReport[] = [];
    for (const { enterpriseId, gatewayId, seq } of this.#gateways.values()) {
      for (const r of seq.takeOverdue(now, this.#opts.gapGraceMs)) {
        reports.push({
          enterpriseId,
          gatewayId,
          missing: r.to - r.from + 1,
          event: {
            enterpriseId,
            gatewayId,
            type: 'seq-gap',
            reason: 'sequence',
            at: now,
            detail: { expectedSeq: r.from, gotSeq: r.to + 1 },
          },
        });
      }
    }
    return reports;
  }
}
