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
import type { CliCommandGroup, CliIo } from '../cli-command';

const USAGE =
  '[--registry-dir <dir> | --kafka <brokers>] [--follow] [--additive] [--passwd <file>] [--acl <file>] ' +
  '[--service-user <name>] [--reload-pid-file <file> | --reload-command "<cmd …>"] [--prefix <topic prefix>]';

interface SyncOptions {
  registryDir?: string;
  brokers?: string[];
  prefix: string;
  follow: boolean;
  target: BrokerAuthTarget;
}

/** Flags, with the local stack's paths and env (deploy/local/env.sh) as defaults. */
function parseArgs(args: readonly string[], io: CliIo): SyncOptions | string {
  const flags = new Map<string, string>();
  const bare = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--follow' || a === '--additive') bare.add(a);
    else if (a.startsWith('--') && args[i + 1] !== undefined) flags.set(a.slice(2), args[++i]!);
    else return `unexpected argument "${a}"`;
  }
  const stackDir = io.env.YJ_STACK_DIR ?? '.stack';
  const brokers = flags.get('kafka') ?? io.env.KAFKA_BROKERS;
  const registryDir = flags.get('registry-dir');
  if (!registryDir && !brokers) return 'give --registry-dir <dir> or --kafka <brokers> (or KAFKA_BROKERS)';
  if (registryDir && bare.has('--follow'))
    return '--follow needs the registry topic (--kafka), not a directory';
  let reload: BrokerReload;
  if (flags.has('reload-command'))
    reload = reloadByCommand(flags.get('reload-command')!.split(/\s+/).filter(Boolean));
  else reload = reloadByPidFile(flags.get('reload-pid-file') ?? `${stackDir}/mosquitto/mosquitto.pid`);
  return {
    ...(registryDir ? { registryDir } : { brokers: brokers!.split(',').map((s) => s.trim()) }),
    prefix: flags.get('prefix') ?? io.env.TOPIC_PREFIX ?? '',
    follow: bare.has('--follow'),
    target: {
      passwdPath: flags.get('passwd') ?? `${stackDir}/mosquitto/passwd`,
      aclPath: flags.get('acl') ?? `${stackDir}/mosquitto/acl`,
      serviceAccounts: [
        ingestServiceAccount(flags.get('service-user') ?? io.env.YJ_MQTT_SERVICE_USER ?? 'yujing-ingest'),
      ],
      mode: bare.has('--additive') ? 'additive' : 'authoritative',
      reload,
    },
  };
}

/**
 * `yujing broker-auth sync`: writes Mosquitto's password file and ACL from the registry (the
 * service account's line is kept) and reloads the broker when they changed. From a directory
 * once, or from the registry topic once or — with --follow — until SIGINT/SIGTERM.
 */
export async function brokerAuthSync(args: string[], io: CliIo): Promise<number> {
  const opts = parseArgs(args, io);
  if (typeof opts === 'string') {
    io.err(`broker-auth sync: ${opts}\nusage: yujing broker-auth sync ${USAGE}`);
    return 2;
  }
  const logger = createLogger({
    service: 'yujing-cli',
    level: io.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn',
  });
  if (opts.registryDir) {
    const { document, problems } = await loadRegistryDir(opts.registryDir);
    if (problems.length > 0) {
      for (const p of problems) io.err(`${p.file}: ${p.path}: ${p.message}`);
      return 1;
    }
    const store = new RegistryStore();
    store.loadDocument(document);
    const result = await syncBrokerAuthFiles(opts.target, store.gateways());
    io.out(
      `${result.changed ? 'rewrote and reloaded' : 'unchanged'}: ${result.users} accounts in ${opts.target.passwdPath}`,
    );
    return 0;
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
    return 0;
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
    sync: {
      summary: 'write passwd + ACL from the registry (keeps the service account) and reload the broker',
      usage: USAGE,
      run: brokerAuthSync,
    },
  },
};
