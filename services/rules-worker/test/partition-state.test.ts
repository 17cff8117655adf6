import { createEnterpriseState, SlotState, snapshotState } from '@yujing/rules-core';
import { describe, expect, it } from 'vitest';
import { PartitionState } from '../src/partition-state';

describe('PartitionState.replayFrom', () => {
  const cases: Array<{ name: string; dirty: Array<bigint | undefined>; next: bigint; want: bigint }> = [
    {
      name: 'every state written: everything processed may be committed',
      dirty: [undefined, undefined],
      next: 40n,
      want: 40n,
    },
    {
      name: 'one unsnapshotted enterprise holds the commit at its first record',
      dirty: [undefined, 12n],
      next: 40n,
      want: 12n,
    },
    { name: 'the earliest unsnapshotted record wins', dirty: [30n, 12n, 25n], next: 40n, want: 12n },
    { name: 'no enterprise yet', dirty: [], next: 7n, want: 7n },
  ];
  it.each(cases)('$name', ({ dirty, next, want }) => {
    const part = new PartitionState(0);
    dirty.forEach((d, i) => {
      part.entry(`E${i}`).dirtyFrom = d;
    });
    expect(part.replayFrom(next)).toBe(want);
  });

  it('an enterprise restored from its record starts clean, at the record offsets', () => {
    const part = PartitionState.restore(3, [
      {
        v: 1,
        enterpriseId: 'E0',
        readingsNext: '41',
        commandsNext: '2',
        writtenAt: 0,
        state: snapshotState(createEnterpriseState('E0')),
      },
    ]);
    expect(part.enterprises.get('E0')).toMatchObject({
      dirtyFrom: undefined,
      snapshotDue: false,
      readingsNext: 41n,
      commandsNext: 2n,
    });
    expect(part.replayFrom(50n)).toBe(50n);
  });
});

describe('PartitionState.gatewayCounts', () => {
  it('counts a gateway offline while its gateway-offline alarm is active, online otherwise', () => {
    const part = new PartitionState(0);
    const gateway = (enterpriseId: string, id: string, alarmActive: boolean | undefined) => {
      const slot = new SlotState();
      if (alarmActive !== undefined) slot.alarm = { active: alarmActive } as NonNullable<SlotState['alarm']>;
      part.entry(enterpriseId).state.gateways.set(id, { lastReceivedAt: 1, resumedAt: -1, slot });
    };
    expect(part.gatewayCounts()).toEqual({ online: 0, offline: 0 });
    gateway('E1', 'gw-1', undefined);
    gateway('E1', 'gw-2', true);
    gateway('E2', 'gw-1', false); // a cleared alarm awaiting closure: back online
    gateway('E2', 'gw-3', true);
    expect(part.gatewayCounts()).toEqual({ online: 2, offline: 2 });
  });
});
