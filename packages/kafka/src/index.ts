export { TOPICS, topicName, type TopicId, type TopicSpec, type TopicValue } from './topic-catalogue';
export { createKafka, type KafkaClientOptions } from './kafka-client';
export { ensureTopics, deleteTopicsWithPrefix, type EnsureTopicsOptions } from './topic-admin';
export { encodeJson, decodeJson, type DecodeResult } from './json-codec';
export { TypedProducer, type OutgoingRecord } from './typed-producer';
export { DeadLetterPublisher, type DeadLetterInput } from './dead-letter-publisher';
