import { userInfo } from 'node:os';
import { KAFKA_SECURITY_ENV, kafkaSecurityOf, listVar, loadConfig } from '@yujing/config';
import { createKafka, ensureTopics, TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { loadRegistryDir, publishRegistry, type RegistryProblem, RegistryReader } from '@yujing/registry';
import { z } from 'zod';
import { type CliCommandGroup, type CliIo, defineCommand } from './cli-command';
import { EXIT } from './exit-codes';

/** Environment of `yujing registry publish`. */
const PublishEnv = z.object({
  /** Kafka bootstrap brokers, comma-separated; the local stack listens on 127.0.0.1:9092. */
  KAFKA_BROKERS: listVar().default(['127.0.0.1:9092']),
  /** TLS and SASL/SCRAM (the CLI's principal is yj-cli in the SASL mode; docs/access-control.md). */
  ...KAFKA_SECURITY_ENV,
  /** Prefix of every topic name ('' in production; tests use a unique one). */
  TOPIC_PREFIX: z.string().default(''),
  /** Who the records say made the change; defaults to cli:<os user>. */
  REGISTRY_CHANGED_BY: z.string().min(1).optional(),
  /** Log level of the Kafka client while publishing. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'),
});

/** `file: entity path: message`, one line per problem. */
export function formatProblem(p: RegistryProblem): string {
  return `${p.file}: ${p.entityId ? `[${p.entityId}] ` : ''}${p.path}: ${p.message}`;
}

async function loadOrReport(dir: string, io: CliIo) {
  const { document, problems } = await loadRegistryDir(dir);
  for (const p of problems) io.err(formatProblem(p));
  return { document, problems };
}

const summary = (d: Awaited<ReturnType<typeof loadRegistryDir>>['document']) =>
  `${d.enterprises.length} enterprises, ${d.gateways.length} gateways, ${d.points.length} points, ${d.templates.length} templates, ${d.policies.length} policies, ${d.subscriptions.length} subscriptions, ${d.people.length} people, ${d.rosters.length} rosters, ${d.platforms.length} platforms`;

const DIR = {
  name: 'dir',
  description: 'the directory of registry YAML/JSON files (e.g. simulators/fixtures/registry)',
  required: true,
} as const;

export const registryCommands: CliCommandGroup = {
  name: 'registry',
  summary: 'validate and publish the registry (基础信息 and 分级分类)',
  commands: {
    validate: defineCommand({
      summary: 'check every file; print every problem with file, entity and field path; exit 1 if any',
      positionals: [DIR],
      async run({ positionals: [dir] }, io) {
        const { document, problems } = await loadOrReport(dir!, io);
        if (problems.length > 0) {
          io.err(`${problems.length} problem(s) in ${dir}`);
          return EXIT.failure;
        }
        io.out(`ok: ${summary(document)}`);
        return EXIT.ok;
      },
    }),
    publish: defineCommand({
      summary: 'validate, then publish changed entities to yj.registry.v1',
      positionals: [DIR],
      options: {
        prune: { type: 'boolean', description: 'also tombstone entities on the topic that are not in <dir>' },
      },
      details: [
        'environment:',
        '  KAFKA_BROKERS        comma separated brokers (default 127.0.0.1:9092)',
        '  KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD  SASL/SCRAM (user yj-cli)',
        '  TOPIC_PREFIX         prefix of every topic name (default "")',
        '  REGISTRY_CHANGED_BY  who the records say made the change (default cli:<os user>)',
        '  LOG_LEVEL            Kafka client log level (default warn)',
      ],
      async run({ positionals: [dir], values }, io) {
        const env = loadConfig(PublishEnv, io.env);
        const { document, problems } = await loadOrReport(dir!, io);
        if (problems.length > 0) {
          io.err(`${problems.length} problem(s) in ${dir}; nothing published`);
          return EXIT.failure;
        }
        // Logs on stderr: stdout carries only the result, for scripts.
        const logger = createLogger({
          service: 'yujing-cli',
          level: env.LOG_LEVEL,
          destination: process.stderr,
        });
        const kafka = createKafka({
          clientId: 'yujing-cli',
          brokers: env.KAFKA_BROKERS,
          security: kafkaSecurityOf(env),
          logger,
        });
        await ensureTopics(kafka, { prefix: env.TOPIC_PREFIX, topics: ['registry'] });
        const reader = new RegistryReader({ kafka, prefix: env.TOPIC_PREFIX, logger });
        const producer = new TypedProducer(kafka, { prefix: env.TOPIC_PREFIX });
        try {
          await Promise.all([reader.start(), producer.connect()]);
          const result = await publishRegistry(producer, document, {
            changedBy: env.REGISTRY_CHANGED_BY ?? `cli:${userInfo().username}`,
            current: reader.store,
            ...(values.prune ? { deleteMissingFrom: reader.store } : {}),
          });
          io.out(
            `published ${result.published} changed entities, ${result.deleted} tombstones (${summary(document)})`,
          );
          return EXIT.ok;
        } finally {
          await Promise.allSettled([reader.stop(), producer.disconnect()]);
        }
      },
    }),
  },
};
