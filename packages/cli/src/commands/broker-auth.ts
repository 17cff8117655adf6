import {
  BrokerAuthSync,
  type BrokerAuthTarget,
  type BrokerReload,
  ingestServiceAccount,
  reloadByCommand,
  reloadByPidFile,
  syncBrokerAuthFiles,
} from '@yujing/broker-auth';
import { createKafka } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { loadRegistryDir, RegistryReader, RegistryStore } from '@yujing/registry';
import { type CliCommandGroup, type CliInput, type CliIo, defineCommand } from '../cli-command';
import { EXIT } from '../exit-codes';

const SYNC_OPTIONS = {
  'registry-dir': {
    type: 'string',
    valueName: '<dir>',
    description: 'read the gateways from registry files',
  },
  kafka: {
    type: 'string',
    valueName: '<brokers>',
    description: 'read them from the registry topic (default: KAFKA_BROKERS)',
  },
  follow: {
    type: 'boolean',
    description: 'keep following the registry topic until SIGINT/SIGTERM (--kafka)',
  },
  additive: { type: 'boolean', description: 'keep accounts that are not in the registry' },
  passwd: {
    type: 'string',
    valueName: '<file>',
    description: 'password file (default $YJ_STACK_DIR/mosquitto/passwd)',
  },
  acl: { type: 'string', valueName: '<file>', description: 'ACL file (default $YJ_STACK_DIR/mosquitto/acl)' },
  'service-user': {
    type: 'string',
    valueName: '<name>',
    description:
      'the ingest service account kept in the files (default YJ_MQTT_SERVICE_USER or yujing-ingest)',
  },
  'reload-pid-file': {
    type: 'string',
    valueName: '<file>',
    description: 'SIGHUP this PID to reload (default $YJ_STACK_DIR/mosquitto/mosquitto.pid)',
  },
  'reload-command': {
    type: 'string',
    valueName: '"<cmd …>"',
    description: 'run this command to reload instead',
  },
  prefix: {
    type: 'string',
    valueName: '<topic prefix>',
    description: 'topic prefix (default TOPIC_PREFIX or "")',
  },
} as const;

interface SyncOptions {
  registryDir?: string;
  brokers?: string[];
  prefix: string;
  follow: boolean;
  target: BrokerAuthTarget;
}

/** Options, with the local stack's paths and env (deploy/local/env.sh) as defaults. */
function syncOptions(values: CliInput<typeof SYNC_OPTIONS>['values'], io: CliIo): SyncOptions | string {
  const stackDir = io.env.YJ_STACK_DIR ?? '.stack';
  const brokers = values.kafka ?? io.env.KAFKA_BROKERS;
  const registryDir = values['registry-dir'];
  if (!registryDir && !brokers) return 'give --registry-dir <dir> or --kafka <brokers> (or KAFKA_BROKERS)';
  if (registryDir && values.follow) return '--follow needs the registry topic (--kafka), not a directory';
  const reload: BrokerReload = values['reload-command']
    ? reloadByCommand(values['reload-command'].split(/\s+/).filter(Boolean))
    : reloadByPidFile(values['reload-pid-file'] ?? `${stackDir}/mosquitto/mosquitto.pid`);
  return {
    ...(registryDir ? { registryDir } : { brokers: brokers!.split(',').map((s) => s.trim()) }),
    prefix: values.prefix ?? io.env.TOPIC_PREFIX ?? '',
    follow: values.follow === true,
    target: {
      passwdPath: values.passwd ?? `${stackDir}/mosquitto/passwd`,
      aclPath: values.acl ?? `${stackDir}/mosquitto/acl`,
      serviceAccounts: [
        ingestServiceAccount(values['service-user'] ?? io.env.YJ_MQTT_SERVICE_USER ?? 'yujing-ingest'),
      ],
      mode: values.additive ? 'additive' : 'authoritative',
      reload,
    },
  };
}

/**
 * `yujing broker-auth sync`: writes Mosquitto's password file and ACL from the registry (the
 * service account's line is kept) and reloads the broker when they changed. From a directory
 * once, or from the registry topic once or — with --follow — until SIGINT/SIGTERM.
 */
export async function brokerAuthSync({ values }: CliInput<typeof SYNC_OPTIONS>, io: CliIo): Promise<number> {
  const opts = syncOptions(values, io);
  if (typeof opts === 'string') {
    io.err(`yujing broker-auth sync: ${opts} (see yujing broker-auth sync --help)`);
    return EXIT.usage;
  }
  const logger = createLogger({
    service: 'yujing-cli',
    level: io.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn',
    destination: process.stderr, // stdout carries only the result
  });
  if (opts.registryDir) {
    const { document, problems } = await loadRegistryDir(opts.registryDir);
    if (problems.length > 0) {
      for (const p of problems) io.err(`${p.file}: ${p.path}: ${p.message}`);
      return EXIT.failure;
    }
    const store = new RegistryStore();
    store.loadDocument(document);
    const result = await syncBrokerAuthFiles(opts.target, store.gateways());
    io.out(
      `${result.changed ? 'rewrote and reloaded' : 'unchanged'}: ${result.users} accounts in ${opts.target.passwdPath}`,
    );
    return EXIT.ok;
  }
  const kafka = createKafka({ clientId: 'yujing-cli-broker-auth', brokers: opts.brokers!, logger });
  const reader = new RegistryReader({ kafka, prefix: opts.prefix, logger });
  await reader.start();
  const sync = new BrokerAuthSync(reader.store, opts.target, logger);
  try {
    const first = await sync.start();
    io.out(
      `${first.changed ? 'rewrote and reloaded' : 'unchanged'}: ${first.users} accounts in ${opts.target.passwdPath}`,
    );
    if (opts.follow) {
      io.out('following the registry; Ctrl-C to stop');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
    return EXIT.ok;
  } finally {
    await sync.stop();
    await reader.stop();
  }
}

/** The `broker-auth` command group (add to COMMAND_GROUPS in command-groups.ts). */
export const brokerAuthCommands: CliCommandGroup = {
  name: 'broker-auth',
  summary: "Mosquitto passwd/ACL generated from the registry's gateways",
  commands: {
    sync: defineCommand({
      summary: 'write passwd + ACL from the registry (keeps the service account) and reload the broker',
      options: SYNC_OPTIONS,
      details: ['give either --registry-dir (once) or --kafka/KAFKA_BROKERS (once, or --follow)'],
      run: brokerAuthSync,
    }),
  },
};
