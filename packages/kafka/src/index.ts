export {
  type BatchConsumer,
  type BatchConsumerOptions,
  type BatchContext,
  type BatchHandler,
  runBatchConsumer,
} from './batch-consumer';
export { type DeadLetterInput, DeadLetterPublisher, type DeadLetterSink } from './dead-letter-publisher';
export { type DecodeResult, decodeJson, encodeJson } from './json-codec';
export { applyKafkaAcls, removeAclsNotIn } from './kafka-acl-admin';
export { createKafka, type KafkaClientOptions, type KafkaClientSecurity } from './kafka-client';
export {
  type LingerFlush,
  LingerProducer,
  type LingerProducerOptions,
  type SendBatch,
} from './linger-producer';
export {
  type AclBinding,
  kafkaAclBindings,
  PLATFORM_ID,
  platformInboundTopic,
  platformOfInboundTopic,
  platformPrincipal,
  provisionedTopics,
  SERVICE_TOPIC_ACCESS,
  type TopicAccess,
  topicsToEnsure,
  type YujingPrincipalId,
} from './topic-access';
export { deleteTopicsWithPrefix, type EnsureTopicsOptions, ensureTopics } from './topic-admin';
export { TOPICS, type TopicId, type TopicSpec, type TopicValue, topicName } from './topic-catalogue';
export { type OutgoingRecord, TypedProducer } from './typed-producer';
