import type { Admin } from 'kafkajs';

/** Records of `topic` not yet committed by `groupId` (sum over partitions). */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((lag, p) => {
    const c = done.get(p.partition) ?? -1;
    return lag + Math.max(0, Number(p.high) - (c < 0 ? Number(p.low) : c));
  }, 0);
}

/** Records ever written to `topic` (sum of high watermarks). */
export async function topicEnd(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}
