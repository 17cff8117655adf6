import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * Assigns partition p of every subscribed topic to the same member (sorted member ids, p mod n),
 * so the worker owning an enterprise's readings also owns its alarm commands (same key, same
 * partition count). kafkajs' round-robin assigner would split them across members.
 */
export const CoPartitionAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'YujingCoPartitionAssigner',
  version: 1,
  async assign({ members, topics }) {
    const sorted = members.map((m) => m.memberId).sort();
    const assignment: Record<string, Record<string, number[]>> = {};
    for (const id of sorted) assignment[id] = {};
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const member = sorted[partitionId % sorted.length]!;
        const perTopic = assignment[member]!;
        const list = perTopic[topic] ?? [];
        list.push(partitionId);
        perTopic[topic] = list;
      }
    }
    return sorted.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: assignment[memberId]!,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'YujingCoPartitionAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});
