import { TOPICS, type TopicId, topicName } from './topic-catalogue';

/**
 * Who may read and write which Kafka topic — the one table the broker's ACLs are generated from
 * (`kafkaAclBindings`, applied by deploy/local/kafka-acls.ts in the SASL mode of the local stack).
 * Each yujing service is a SCRAM principal `User:<principal>` that reads and writes exactly its
 * topics and joins exactly its consumer groups; each external platform is `User:platform-<id>`
 * and may only write its own inbound topic (`platformInboundTopic`). Derived from the services'
 * code (their consumers, producers and dead-letter publishers); docs/access-control.md, "Kafka".
 */
export interface TopicAccess {
  /** SCRAM user name = Kafka principal `User:<principal>`. */
  principal: string;
  reads: readonly TopicId[];
  writes: readonly TopicId[];
  /** Consumer groups the principal joins, as literal names or prefixes (`prefix: true`). */
  groups: readonly { name: string; prefix?: boolean }[];
}

/** Registry readers, the supervision reader and the rules-state follower use one group per instance. */
const REGISTRY_READER = { name: 'yj-registry-reader-', prefix: true } as const;

export const SERVICE_TOPIC_ACCESS = {
  'gateway-ingest': {
    principal: 'yj-gateway-ingest',
    reads: ['registry'],
    writes: ['readings', 'gatewayEvents', 'deadLetter'],
    groups: [REGISTRY_READER],
  },
  'kafka-ingest': {
    principal: 'yj-kafka-ingest',
    reads: ['registry', 'telemetryInbound'],
    writes: ['readings', 'gatewayEvents', 'deadLetter'],
    groups: [REGISTRY_READER, { name: 'yujing-kafka-ingest' }],
  },
  'rules-worker': {
    principal: 'yj-rules-worker',
    reads: ['registry', 'readings', 'alarmCommands', 'rulesState'],
    writes: ['alarms', 'alarmCommandResults', 'rulesState', 'deadLetter'],
    groups: [
      REGISTRY_READER,
      { name: 'yj-rules-worker' },
      { name: 'yj-rules-state-follower-', prefix: true },
    ],
  },
  'store-writer': {
    principal: 'yj-store-writer',
    reads: ['registry', 'readings', 'alarms', 'deliveries', 'gatewayEvents'],
    writes: ['deadLetter'],
    groups: [REGISTRY_READER, { name: 'yj.store-writer' }],
  },
  'alert-dispatcher': {
    principal: 'yj-alert-dispatcher',
    reads: ['registry', 'alarms'],
    writes: ['deliveries', 'deadLetter'],
    groups: [REGISTRY_READER, { name: 'alert-dispatcher' }],
  },
  'operator-api': {
    principal: 'yj-operator-api',
    reads: ['registry', 'alarms', 'alarmCommandResults', 'supervision'],
    writes: ['registry', 'alarmCommands', 'supervision'],
    groups: [
      REGISTRY_READER,
      { name: 'operator-api', prefix: true },
      { name: 'yj-supervision-reader-', prefix: true },
    ],
  },
  /** The `yujing` CLI of an operator: publishes the registry, sends alarm commands. */
  cli: {
    principal: 'yj-cli',
    reads: ['registry'],
    writes: ['registry', 'alarmCommands'],
    groups: [REGISTRY_READER],
  },
} as const satisfies Record<string, TopicAccess>;

export type YujingPrincipalId = keyof typeof SERVICE_TOPIC_ACCESS;

/** The Kafka principal (SCRAM user) of an external platform of the registry. */
export const platformPrincipal = (platformId: string) => `platform-${platformId}`;

/**
 * The one topic a platform may write: `yj.telemetry.inbound.v1.<platformId>`. Kafka records carry
 * no principal, so kafka-ingest learns who produced a record from the topic it came from; the
 * ACL (WRITE on this literal topic for `User:platform-<id>` only) makes that unforgeable.
 */
export function platformInboundTopic(platformId: string, prefix = ''): string {
  return `${topicName('telemetryInbound', prefix)}.${platformId}`;
}

/**
 * The platform id of a topic `platformInboundTopic` named; undefined for the shared inbound topic
 * (internal producers only) and anything else.
 */
export function platformOfInboundTopic(topic: string, prefix = ''): string | undefined {
  const base = `${topicName('telemetryInbound', prefix)}.`;
  if (!topic.startsWith(base)) return undefined;
  const id = topic.slice(base.length);
  return PLATFORM_ID.test(id) ? id : undefined;
}

/** Platform ids are also topic-name and principal suffixes: lower-case letters, digits, '-'. */
export const PLATFORM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One ACL in kafkajs' createAcls shape (resource and principal as strings, all ALLOW). */
export interface AclBinding {
  resourceType: 'TOPIC' | 'GROUP' | 'CLUSTER';
  resourceName: string;
  resourcePatternType: 'LITERAL' | 'PREFIXED';
  principal: string;
  operation: 'READ' | 'WRITE' | 'DESCRIBE' | 'IDEMPOTENT_WRITE';
}

/**
 * Every ACL of a deployment: the table above for the yujing principals, and for each platform
 * WRITE + DESCRIBE on its own inbound topic and nothing else. `prefix` is the topic prefix ('' in
 * production). Everything not granted is refused (StandardAuthorizer, allow.everyone.if.no.acl.found=false).
 */
export function kafkaAclBindings(platformIds: readonly string[], prefix = ''): AclBinding[] {
  const out: AclBinding[] = [];
  const topic = (principal: string, id: string, operation: AclBinding['operation']) =>
    out.push({
      resourceType: 'TOPIC',
      resourceName: id,
      resourcePatternType: 'LITERAL',
      principal: `User:${principal}`,
      operation,
    });
  for (const access of Object.values(SERVICE_TOPIC_ACCESS) as TopicAccess[]) {
    const describe = new Set<TopicId>([...access.reads, ...access.writes]);
    for (const id of describe) topic(access.principal, topicName(id, prefix), 'DESCRIBE');
    for (const id of access.reads) topic(access.principal, topicName(id, prefix), 'READ');
    for (const id of access.writes) topic(access.principal, topicName(id, prefix), 'WRITE');
    if (access.reads.includes('telemetryInbound')) {
      // kafka-ingest reads every platform's inbound topic.
      out.push({
        resourceType: 'TOPIC',
        resourceName: `${topicName('telemetryInbound', prefix)}.`,
        resourcePatternType: 'PREFIXED',
        principal: `User:${access.principal}`,
        operation: 'READ',
      });
      out.push({
        resourceType: 'TOPIC',
        resourceName: `${topicName('telemetryInbound', prefix)}.`,
        resourcePatternType: 'PREFIXED',
        principal: `User:${access.principal}`,
        operation: 'DESCRIBE',
      });
    }
    for (const g of access.groups) {
      out.push({
        resourceType: 'GROUP',
        resourceName: g.name,
        resourcePatternType: g.prefix ? 'PREFIXED' : 'LITERAL',
        principal: `User:${access.principal}`,
        operation: 'READ',
      });
    }
    // The idempotent producer of kafkajs is not used; no CLUSTER grants are needed.
  }
  for (const id of platformIds) {
    if (!PLATFORM_ID.test(id))
      throw new Error(`platform id "${id}" is not a topic/principal suffix (${PLATFORM_ID})`);
    topic(platformPrincipal(id), platformInboundTopic(id, prefix), 'WRITE');
    topic(platformPrincipal(id), platformInboundTopic(id, prefix), 'DESCRIBE');
  }
  return out;
}

/**
 * The catalogue topics a service must find at start: with PLAINTEXT (no ACLs) every topic, so any
 * service started first creates them all; with authentication only its own — the provisioning step
 * created them all, and it may not even see (DESCRIBE) the others.
 */
export function topicsToEnsure(service: YujingPrincipalId, securityProtocol: string): TopicId[] | undefined {
  if (securityProtocol === 'PLAINTEXT') return undefined;
  const access: TopicAccess = SERVICE_TOPIC_ACCESS[service];
  return [...new Set([...access.reads, ...access.writes])];
}

/** Every topic the ACLs name, to create before the services start (they get no CREATE grant). */
export function provisionedTopics(
  platformIds: readonly string[],
  prefix = '',
): { topic: string; id: TopicId }[] {
  return [
    ...(Object.keys(TOPICS) as TopicId[]).map((id) => ({ topic: topicName(id, prefix), id })),
    ...platformIds.map((p) => ({ topic: platformInboundTopic(p, prefix), id: 'telemetryInbound' as const })),
  ];
}
