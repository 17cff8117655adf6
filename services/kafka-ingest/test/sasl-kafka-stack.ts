import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Secret } from '@yujing/config';
import { createKafka } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { createTestTopics, serviceEnv } from '@yujing/testkit';
import type { Kafka } from 'kafkajs';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');

/**
 * A private single-node Kafka in the SASL/SCRAM + ACL mode of deploy/local (YJ_KAFKA_SECURITY=sasl),
 * on its own ports and state directory, so the shared PLAINTEXT broker is never touched. Started
 * with `deploy/local/stack.sh up kafka` (a no-op when already running) and stopped by PID.
 *
 * KAFKA_AUTH_TEST_PLAINTEXT=1 points the same tests at the shared PLAINTEXT broker instead, with
 * no credentials at all: that reproduces hole 4 of issue #14 (the refusals then fail).
 */
export interface SaslKafkaStack {
  brokers: string[];
  /** A client authenticated as a SCRAM user of the stack (its password from the credentials dir). */
  client(user: string, opts?: { password?: string; mechanism?: 'scram-sha-256' | 'scram-sha-512' }): Kafka;
  /** The SCRAM password the stack generated for a user. */
  password(user: string): string;
  plaintext: boolean;
  /** Topic prefix: '' on the private SASL broker (its ACLs name the production topics). */
  prefix: string;
  stop(): Promise<void>;
}

export async function startSaslKafka(platforms: readonly string[]): Promise<SaslKafkaStack> {
  const logger = createLogger({ service: 'kafka-auth-test', level: 'silent' });
  if (process.env.KAFKA_AUTH_TEST_PLAINTEXT === '1') {
    // Prefixed topics of the shared broker, so nothing reaches its real registry.
    const topics = await createTestTopics({ partitions: 1, label: 'kafka-auth' });
    const brokers = serviceEnv().kafkaBrokers;
    return {
      brokers,
      plaintext: true,
      prefix: topics.prefix,
      password: () => 'none',
      client: (user) => createKafka({ clientId: user, brokers, logger, retries: 0 }),
      stop: () => topics.cleanup(),
    };
  }
  const stackDir = process.env.YJ_KAFKA_SASL_STACK_DIR ?? join(REPO, '.stack-kafka-sasl');
  const port = process.env.YJ_KAFKA_SASL_PORT ?? '39592';
  const env = {
    ...process.env,
    YJ_STACK_DIR: stackDir,
    YJ_KAFKA_PORT: port,
    YJ_KAFKA_CONTROLLER_PORT: process.env.YJ_KAFKA_SASL_CONTROLLER_PORT ?? String(Number(port) + 1),
    YJ_KAFKA_SECURITY: 'sasl',
    YJ_KAFKA_PLATFORMS: platforms.join(','),
    YJ_KAFKA_HEAP: process.env.YJ_KAFKA_SASL_HEAP ?? '384m',
  };
  const stack = join(REPO, 'deploy/local/stack.sh');
  await run(stack, ['up', 'kafka'], { env, timeout: 150_000 });
  const brokers = [`${process.env.YJ_STACK_HOST ?? '127.0.0.1'}:${port}`];
  const password = (user: string) => readFileSync(join(stackDir, 'kafka/credentials', user), 'utf8').trim();
  return {
    brokers,
    plaintext: false,
    prefix: '',
    password,
    client: (user, opts = {}) =>
      createKafka({
        clientId: user,
        brokers,
        logger,
        retries: 1,
        security: {
          sasl: {
            mechanism: opts.mechanism ?? 'scram-sha-512',
            username: user,
            password: new Secret(opts.password ?? password(user)),
          },
        },
      }),
    // Keep it for a fast edit-test loop with YJ_KAFKA_SASL_KEEP=1 (then stop it with stack.sh down kafka).
    stop: async () => {
      if (process.env.YJ_KAFKA_SASL_KEEP !== '1')
        await run(stack, ['down', 'kafka'], { env, timeout: 90_000 });
    },
  };
}
