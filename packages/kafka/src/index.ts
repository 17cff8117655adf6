export {
  type BatchConsumer,
  type BatchConsumerOptions,
  type BatchContext,
  type BatchHandler,
  runBatchConsumer,
} from './batch-consumer';
export { type DeadLetterInput, DeadLetterPublisher, type DeadLetterSink } from './dead-letter-publisher';
export { type DecodeResult, decodeJson, encodeJson } from './json-codec';
export { createKafka, type KafkaClientOptions } from './kafka-client';
export {
  type LingerFlush,
  LingerProducer,
  type LingerProducerOptions,
  type SendBatch,
} from './linger-producer';
export { deleteTopicsWithPrefix, type EnsureTopicsOptions, ensureTopics } from './topic-admin';
export { TOPICS, type TopicId, type TopicSpec, type TopicValue, topicName } from './topic-catalogue';
export { type OutgoingRecord, TypedProducer } from './typed-producer';
