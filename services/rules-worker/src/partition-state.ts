import { createEnterpriseState, type EnterpriseState, restoreState } from '@yujing/rules-core';
import type { StateRecord } from './state-changelog';

/** One enterprise's engine state and the next input offsets it has not yet seen. */
export interface EnterpriseEntry {
  state: EnterpriseState;
  readingsNext: bigint;
  commandsNext: bigint;
  /** Size of the last snapshot written (for the state-size gauge). */
  bytes: number;
  /**
   * Readings offset of the first record evaluated since the last snapshot, or undefined when the
   * changelog holds everything. Those records changed the state but emitted nothing, so a
   * restore replays them from here (ADR 0001, deferred snapshots).
   */
  dirtyFrom: bigint | undefined;
  /** A wall-clock pass ran on a clean state (it may change it silently): snapshot on the next touch. */
  snapshotDue: boolean;
}

const freshEntry = (state: EnterpriseState, readingsNext: bigint, commandsNext: bigint): EnterpriseEntry => ({
  state,
  readingsNext,
  commandsNext,
  bytes: 0,
  dirtyFrom: undefined,
  snapshotDue: false,
});

/**
 * The state of one assigned partition: every enterprise keyed to it. `live` turns true once the
 * readings backlog found at assignment has been consumed; only then do wall-clock ticks run, so a
 * restart does not raise offline alarms for gateways whose data is merely still queued.
 */
export class PartitionState {
  readonly enterprises = new Map<string, EnterpriseEntry>();
  live = false;
  liveFrom = 0n;
  /** Offset after the last readings record processed since this state was built (0 = none yet). */
  consumedNext = 0n;

  constructor(readonly partition: number) {}

  entry(enterpriseId: string): EnterpriseEntry {
    let e = this.enterprises.get(enterpriseId);
    if (e === undefined) {
      e = freshEntry(createEnterpriseState(enterpriseId), 0n, 0n);
      this.enterprises.set(enterpriseId, e);
    }
    return e;
  }

  static restore(partition: number, records: readonly StateRecord[]): PartitionState {
    const part = new PartitionState(partition);
    for (const r of records) {
      part.enterprises.set(
        r.enterpriseId,
        freshEntry(restoreState(r.state), BigInt(r.readingsNext), BigInt(r.commandsNext)),
      );
    }
    return part;
  }

  /**
   * The first readings offset a restore must see again: the earliest record not yet in a
   * snapshot, or `next` (the offset after the last processed record) when every state is written.
   * Committing more than this would lose the unsnapshotted records' effects on a restart.
   */
  replayFrom(next: bigint): bigint {
    let from = next;
    for (const e of this.enterprises.values())
      if (e.dirtyFrom !== undefined && e.dirtyFrom < from) from = e.dirtyFrom;
    return from;
  }

  /**
   * Gateways of this partition's enterprises that have sent data, by whether their gateway-offline
   * alarm is active (the yujing_rules_gateways gauge; the platform's online-rate alert divides them).
   */
  gatewayCounts(): { online: number; offline: number } {
    let online = 0;
    let offline = 0;
    for (const e of this.enterprises.values())
      for (const g of e.state.gateways.values()) {
        if (g.slot.alarm?.active) offline++;
        else online++;
      }
    return { online, offline };
  }

  /** Marks the partition live once readings up to `liveFrom` have been processed. */
  reached(nextOffset: bigint): void {
    if (!this.live && nextOffset >= this.liveFrom) this.live = true;
  }
}
