export { createTestQueueName, obliterateQueue, uniqueQueueName } from './bullmq-queue-name';
export { freePort, PrivateRedis } from './private-redis';
export {
  createQuestDbTablePrefix,
  dropQuestDbTables,
  listQuestDbTables,
  questdbTablePrefix,
} from './questdb-table-prefix';
export { type ServiceEnv, serviceEnv } from './service-env';
export { openSse, type SseClient } from './sse-client';
export { createTestTopics, type TestTopics, testKafka, uniqueGroupId } from './test-kafka';
export {
  type CollectedRecord,
  type CollectOptions,
  type CollectUntil,
  consumeUntil,
  TopicCollector,
} from './topic-collector';
export { uniqueId } from './unique-id';
export { type WaitForOptions, waitFor } from './wait-for';
