import { describe, expect, it } from 'vitest';
import {
  kafkaAclBindings,
  platformInboundTopic,
  platformOfInboundTopic,
  SERVICE_TOPIC_ACCESS,
  topicsToEnsure,
} from '../src/topic-access';
import { topicName } from '../src/topic-catalogue';

const acls = kafkaAclBindings(['acme', 'other']);
const writers = (topic: string) =>
  acls
    .filter((a) => a.resourceType === 'TOPIC' && a.operation === 'WRITE' && a.resourceName === topic)
    .map((a) => a.principal)
    .sort();

describe('Kafka ACLs generated from the topic access table', () => {
  it('lets a platform principal write only its own inbound topic, and nothing else at all', () => {
    const mine = acls.filter((a) => a.principal === 'User:platform-acme');
    expect(mine).toEqual([
      expect.objectContaining({
        resourceName: 'yj.telemetry.inbound.v1.acme',
        operation: 'WRITE',
        resourcePatternType: 'LITERAL',
      }),
      expect.objectContaining({ resourceName: 'yj.telemetry.inbound.v1.acme', operation: 'DESCRIBE' }),
    ]);
    expect(mine).toHaveLength(2);
  });

  it('lets only operator-api and the CLI write the registry and alarm commands', () => {
    expect(writers(topicName('registry'))).toEqual(['User:yj-cli', 'User:yj-operator-api']);
    expect(writers(topicName('alarmCommands'))).toEqual(['User:yj-cli', 'User:yj-operator-api']);
    expect(writers(topicName('telemetryInbound'))).toEqual([]);
  });

  it('has one writer per internal output topic and grants consumer groups to their service only', () => {
    expect(writers(topicName('readings'))).toEqual(['User:yj-gateway-ingest', 'User:yj-kafka-ingest']);
    expect(writers(topicName('alarms'))).toEqual(['User:yj-rules-worker']);
    expect(writers(topicName('deliveries'))).toEqual(['User:yj-alert-dispatcher']);
    const groups = acls.filter((a) => a.resourceType === 'GROUP' && a.resourceName === 'yujing-kafka-ingest');
    expect(groups.map((g) => g.principal)).toEqual(['User:yj-kafka-ingest']);
  });

  it('gives every principal DESCRIBE on what it reads or writes, and nobody a PREFIXED write', () => {
    for (const a of Object.values(SERVICE_TOPIC_ACCESS)) {
      for (const id of [...a.reads, ...a.writes]) {
        expect(acls).toContainEqual(
          expect.objectContaining({
            principal: `User:${a.principal}`,
            resourceName: topicName(id),
            operation: 'DESCRIBE',
          }),
        );
      }
    }
    expect(acls.filter((a) => a.operation === 'WRITE' && a.resourcePatternType === 'PREFIXED')).toEqual([]);
  });

  it('maps a platform inbound topic back to its platform, with and without a prefix', () => {
    expect(platformOfInboundTopic(platformInboundTopic('acme'))).toBe('acme');
    expect(platformOfInboundTopic(platformInboundTopic('acme', 't-1.'), 't-1.')).toBe('acme');
    expect(platformOfInboundTopic(topicName('telemetryInbound'))).toBeUndefined();
    expect(platformOfInboundTopic('yj.telemetry.inbound.v1.Not_Valid')).toBeUndefined();
    expect(() => kafkaAclBindings(['Bad Id'])).toThrow(/not a topic\/principal suffix/);
  });
});

describe('topicsToEnsure', () => {
  it('is every topic with PLAINTEXT and only the service’s own with authentication', () => {
    expect(topicsToEnsure('store-writer', 'PLAINTEXT')).toBeUndefined();
    expect(topicsToEnsure('alert-dispatcher', 'SASL_SSL')?.sort()).toEqual(
      ['alarms', 'deadLetter', 'deliveries', 'registry'].sort(),
    );
  });
});
