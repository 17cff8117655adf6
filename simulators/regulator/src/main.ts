import { resolve } from 'node:path';
import { loadConfigOrExit } from '@yujing/config';
import { fixturesRegistryDir } from '@yujing/fixtures';
import { createLogger } from '@yujing/logger';
import { loadRegistryDir } from '@yujing/registry';
import { RegulatorConfig } from './config';
import { DeliveryInbox } from './delivery-inbox';
import { formatDeliveryLine } from './delivery-line';
import { listenAddressesOf, RegulatorServer } from './regulator-server';

/** The regulator simulator: answers the registry's webhook subscriptions. `tsx simulators/regulator/src/main.ts` */
const config = loadConfigOrExit('regulator-simulator', RegulatorConfig);
const logger = createLogger({ service: 'regulator-simulator', level: config.LOG_LEVEL });
const registryDir = config.REGISTRY_DIR ?? fixturesRegistryDir;
const { document, problems } = await loadRegistryDir(registryDir);
if (problems.length > 0 || document.subscriptions.length === 0) {
  logger.fatal({ registryDir, problems }, 'no usable webhook subscriptions in the registry');
  process.exit(1);
}
const subscriptions = document.subscriptions.filter((s) => s.enabled);
const inbox = new DeliveryInbox({
  subscriptions,
  toleranceSec: config.REGULATOR_TOLERANCE_SEC,
  failFirst: config.REGULATOR_FAIL_FIRST,
});
const recordFile = config.REGULATOR_RECORD_FILE ? resolve(config.REGULATOR_RECORD_FILE) : undefined;
const server = new RegulatorServer({
  inbox,
  logger,
  ...(recordFile ? { recordFile } : {}),
  onRecord: (r) => {
    if (config.REGULATOR_PRINT) process.stdout.write(`${formatDeliveryLine(r, config.REGULATOR_COLOUR)}\n`);
  },
});
const bound = await server.listen(listenAddressesOf(subscriptions.map((s) => s.url)));
logger.info(
  { listening: bound, subscriptions: subscriptions.map((s) => ({ id: s.id, url: s.url })), recordFile },
  'regulator simulator listening',
);

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'stopping');
  await server.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
