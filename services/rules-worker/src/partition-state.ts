import { createEnterpriseState, type EnterpriseState, restoreState } from '@yujing/rules-core';
import type { StateRecord } from './state-changelog';

/** One enterprise's engine state and the next input offsets it has not yet seen. */
export interface EnterpriseEntry {
  state: EnterpriseState;
  readingsNext: bigint;
  commandsNext: bigint;
  /** Size of the last snapshot written (for the state-size gauge). */
  bytes: number;
}

/**
 * The state of one assigned partition: every enterprise keyed to it. `live` turns true once the
 * readings backlog found at assignment has been consumed; only then do wall-clock ticks run, so a
 * restart does not raise offline alarms for gateways whose data is merely still queued.
 */
export class PartitionState {
  readonly enterprises = new Map<string, EnterpriseEntry>();
  live = false;
  liveFrom = 0n;

  constructor(readonly partition: number) {}

  entry(enterpriseId: string): EnterpriseEntry {
    let e = this.enterprises.get(enterpriseId);
    if (e === undefined) {
      e = { state: createEnterpriseState(enterpriseId), readingsNext: 0n, commandsNext: 0n, bytes: 0 };
      this.enterprises.set(enterpriseId, e);
    }
    return e;
  }

  static restore(partition: number, records: readonly StateRecord[]): PartitionState {
    const part = new PartitionState(partition);
    for (const r of records) {
      part.enterprises.set(r.enterpriseId, {
        state: restoreState(r.state),
        readingsNext: BigInt(r.readingsNext),
        commandsNext: BigInt(r.commandsNext),
        bytes: 0,
      });
    }
    return part;
  }

  /** Marks the partition live once readings up to `liveFrom` have been processed. */
  reached(nextOffset: bigint): void {
    if (!this.live && nextOffset >= this.liveFrom) this.live = true;
  }
}
