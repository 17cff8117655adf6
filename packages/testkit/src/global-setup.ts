import net from 'node:net';
import type { TestProject } from 'vitest/node';
import type { ServiceEnv } from './service-env';

/**
 * Resolves the real Kafka, QuestDB, Redis and Mosquitto for integration, fault and e2e tests.
 * 1. When KAFKA_BROKERS etc. are set (what `make test` does after `deploy/local/stack.sh up`),
 *    those services are used.
 * 2. Otherwise, when a Docker engine answers, testcontainers starts them.
 * 3. Otherwise the run fails loudly with what to do. Nothing is ever imitated in-process.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const env = process.env;
  if (env.KAFKA_BROKERS && env.QUESTDB_HTTP) {
    const resolved: ServiceEnv = {
      kafkaBrokers: env.KAFKA_BROKERS.split(','),
      questdbHttp: env.QUESTDB_HTTP,
      questdbPg: env.QUESTDB_PG ?? 'postgres://admin:quest@127.0.0.1:8812/qdb',
      redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      mqttUrl: env.MQTT_URL ?? 'mqtt://127.0.0.1:1884',
      mqttServiceUrl: env.MQTT_SERVICE_URL ?? env.MQTT_URL ?? 'mqtt://127.0.0.1:1885',
      mqttServiceUser: env.YJ_MQTT_SERVICE_USER ?? 'yujing-ingest',
      mqttServicePassword: env.YJ_MQTT_SERVICE_PASSWORD ?? 'yujing-ingest-dev',
    };
    await assertReachable(resolved);
    project.provide('serviceEnv', resolved);
    return undefined;
  }
  return startContainers(project);
}

async function assertReachable(s: ServiceEnv): Promise<void> {
  const targets = [
    ['Kafka', s.kafkaBrokers[0] ?? ''],
    ['QuestDB HTTP', new URL(s.questdbHttp).host],
    ['QuestDB PG', new URL(s.questdbPg).host],
    ['Redis', new URL(s.redisUrl).host],
    ['Mosquitto', new URL(s.mqttUrl).host],
  ] as const;
  const down: string[] = [];
  await Promise.all(
    targets.map(async ([name, hostPort]) => {
      if (!(await canConnect(hostPort))) down.push(`${name} (${hostPort})`);
    }),
  );
  if (down.length > 0) {
    throw new Error(
      `integration services not reachable: ${down.join(', ')}. Start them with: bash deploy/local/stack.sh up`,
    );
  }
}

function canConnect(hostPort: string): Promise<boolean> {
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(i + 1));
  return new Promise((resolve) => {
    const sock = net.connect({ host, port, timeout: 2000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

async function startContainers(project: TestProject): Promise<() => Promise<void>> {
  const { getContainerRuntimeClient, GenericContainer, Wait } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (err) {
    throw new Error(
      `no KAFKA_BROKERS/QUESTDB_HTTP in the environment and no Docker engine (${(err as Error).message}). ` +
        'Run the tests with `make test`, or start the local stack: bash deploy/local/stack.sh up && source deploy/local/env.sh',
    );
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.6.0').withKraft().start();
  const questdb = await new GenericContainer('questdb/questdb:9.3.4')
    .withExposedPorts(9000, 8812)
    .withWaitStrategy(Wait.forHttp('/exec?query=SELECT%201', 9000))
    .start();
  const redis = await new GenericContainer('redis:7').withExposedPorts(6379).start();
  const mosquitto = await new GenericContainer('eclipse-mosquitto:2')
    .withExposedPorts(1883)
    .withCommand(['mosquitto', '-c', '/mosquitto-no-auth.conf'])
    .start();
  project.provide('serviceEnv', {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    questdbHttp: `http://${questdb.getHost()}:${questdb.getMappedPort(9000)}`,
    questdbPg: `postgres://admin:quest@${questdb.getHost()}:${questdb.getMappedPort(8812)}/qdb`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    mqttUrl: `mqtt://${mosquitto.getHost()}:${mosquitto.getMappedPort(1883)}`,
    mqttServiceUrl: `mqtt://${mosquitto.getHost()}:${mosquitto.getMappedPort(1883)}`,
    mqttServiceUser: 'yujing-ingest',
    mqttServicePassword: 'yujing-ingest-dev',
  });
  return async () => {
    await Promise.allSettled([kafka.stop(), questdb.stop(), redis.stop(), mosquitto.stop()]);
  };
}
