// Kafka provisioning of the SASL mode of the local stack (YJ_KAFKA_SECURITY=sasl), run by
// deploy/local/services/kafka.sh with tsx. Connects as the super user `admin`.
//
//   tsx deploy/local/kafka-provision.ts principals          the yujing SCRAM users, one a line
//   tsx deploy/local/kafka-provision.ts ready               one admin DescribeCluster; exit 0/1
//   tsx deploy/local/kafka-provision.ts apply [platform…]   create every topic (and each platform's
//                                                           inbound topic) and the ACLs of the table
//
// Environment: KAFKA_BROKERS, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD (the admin), optional
// KAFKA_TOPIC_PREFIX, and KAFKA_ACL_PROBE_USER / KAFKA_ACL_PROBE_PASSWORD: a service user that `apply`
// waits for until the broker's authorizer lets it describe the registry topic (the controller
// acknowledges CreateAcls a moment before the broker enforces them). The ACLs come from SERVICE_TOPIC_ACCESS in packages/kafka/src/topic-access.ts.
import { Secret } from '../../packages/config/src/index.ts';
import {
  applyKafkaAcls,
  createKafka,
  ensureTopics,
  kafkaAclBindings,
  platformPrincipal,
  removeAclsNotIn,
  SERVICE_TOPIC_ACCESS,
  topicName,
} from '../../packages/kafka/src/index.ts';
import { createLogger } from '../../packages/logger/src/index.ts';

const [command = '', ...args] = process.argv.slice(2);

if (command === 'principals') {
  for (const a of Object.values(SERVICE_TOPIC_ACCESS)) console.log(a.principal);
  process.exit(0);
}

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const username = process.env.KAFKA_SASL_USERNAME ?? 'admin';
const password = process.env.KAFKA_SASL_PASSWORD;
if (!password) {
  console.error('kafka-provision: KAFKA_SASL_PASSWORD (the admin password) is not set');
  process.exit(2);
}
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const logger = createLogger({ service: 'kafka-provision', level: command === 'ready' ? 'silent' : 'warn' });
const kafka = createKafka({
  clientId: 'yujing-kafka-provision',
  brokers,
  logger,
  retries: command === 'ready' ? 0 : 8,
  security: { sasl: { mechanism: 'scram-sha-512', username, password: new Secret(password) } },
});

if (command === 'ready') {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const c = await admin.describeCluster();
    console.log(`kafka-ready: SASL as ${username}, cluster ${c.clusterId}, ${c.brokers.length} broker(s)`);
    await admin.disconnect();
    process.exit(0);
  } catch (err) {
    console.error(`kafka-ready: ${(err as Error).message}`);
    process.exit(1);
  }
} else if (command === 'apply') {
  const platforms = args;
  const created = await ensureTopics(kafka, { prefix, platforms });
  const bindings = kafkaAclBindings(platforms, prefix);
  await applyKafkaAcls(kafka, bindings);
  const principals = [
    ...Object.values(SERVICE_TOPIC_ACCESS).map((a) => `User:${a.principal}`),
    ...platforms.map((p) => `User:${platformPrincipal(p)}`),
  ];
  const removed = await removeAclsNotIn(kafka, bindings, principals);
  await untilAclsApply();
  console.log(
    `kafka-provision: ${created.length} topic(s) created, ${bindings.length} ACLs applied, ${removed} stale removed` +
      ` (${platforms.length} platform(s))`,
  );
  process.exit(0);
} else {
  usage();
}

async function untilAclsApply(): Promise<void> {
  const user = process.env.KAFKA_ACL_PROBE_USER;
  const secret = process.env.KAFKA_ACL_PROBE_PASSWORD;
  if (!user || !secret) return;
  const probe = createKafka({
    clientId: 'yujing-kafka-provision-probe',
    brokers,
    logger,
    retries: 0,
    security: { sasl: { mechanism: 'scram-sha-512', username: user, password: new Secret(secret) } },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const admin = probe.admin();
    try {
      await admin.connect();
      await admin.fetchTopicMetadata({ topics: [topicName('registry', prefix)] });
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`ACLs not in force for ${user} after 30 s: ${(err as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function usage(): never {
  console.error('usage: kafka-provision.ts principals | ready | apply [platform…]');
  process.exit(2);
}
