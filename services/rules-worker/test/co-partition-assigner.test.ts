import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { CoPartitionAssigner } from '../src/co-partition-assigner';

const cluster = {
  findTopicPartitionMetadata: (topic: string) =>
    Array.from({ length: topic === 'small' ? 2 : 4 }, (_, partitionId) => ({ partitionId })),
};

async function assign(memberIds: string[], topics: string[]) {
  // biome-ignore lint/suspicious/noExplicitAny: the assigner only reads findTopicPartitionMetadata
  const assigner = CoPartitionAssigner({ cluster: cluster as any, groupId: 'g', logger: {} as any });
  const out = await assigner.assign({
    members: memberIds.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) })),
    topics,
  });
  return Object.fromEntries(
    out.map((a) => [a.memberId, AssignerProtocol.MemberAssignment.decode(a.memberAssignment)?.assignment]),
  );
}

describe('co-partition assigner', () => {
  it.each([
    { members: ['m-a'], expected: { 'm-a': { readings: [0, 1, 2, 3], commands: [0, 1, 2, 3] } } },
    {
      members: ['m-b', 'm-a'],
      expected: {
        'm-a': { readings: [0, 2], commands: [0, 2] },
        'm-b': { readings: [1, 3], commands: [1, 3] },
      },
    },
    {
      members: ['m-c', 'm-a', 'm-b'],
      expected: {
        'm-a': { readings: [0, 3], commands: [0, 3] },
        'm-b': { readings: [1], commands: [1] },
        'm-c': { readings: [2], commands: [2] },
      },
    },
  ])(
    'partition p of both topics goes to the same member ($members.length members)',
    async ({ members, expected }) => {
      expect(await assign(members, ['readings', 'commands'])).toEqual(expected);
    },
  );

  it('gives a member an empty assignment when there are more members than partitions', async () => {
    const out = await assign(['m-a', 'm-b', 'm-c'], ['small']);
    expect(out['m-c']).toEqual({});
  });
});
