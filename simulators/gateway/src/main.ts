import { loadConfigOrExit } from '@yujing/config';
import { devGatewayCredentials, fixturesRegistryDir } from '@yujing/fixtures';
import { createKafka } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { loadRegistryDir } from '@yujing/registry';
import { SimulatorConfig } from './config';
import { buildFleetModel } from './fleet-model';
import { FleetSimulation } from './fleet-simulation';
import { HttpTransport } from './http-transport';
import { KafkaTransport } from './kafka-transport';
import { MqttTransport } from './mqtt-transport';
import { loadScenarioDir, scenariosDir } from './scenario-loader';
import { SimulatorRunner } from './simulator-runner';
import type { TelemetryTransport } from './telemetry-transport';

/**
 * The gateway simulator: plays the registry's gateways with realistic signals and a scenario
 * every SIM_SCENARIO_EVERY. `tsx simulators/gateway/src/main.ts` (env: see config.ts, README).
 */
const config = loadConfigOrExit('gateway-simulator', SimulatorConfig);
const logger = createLogger({ service: 'gateway-simulator', level: config.LOG_LEVEL });

const registryDir = config.REGISTRY_DIR ?? fixturesRegistryDir;
const { document, problems } = await loadRegistryDir(registryDir);
if (problems.length > 0) {
  for (const p of problems) logger.error(p, 'registry problem');
  logger.fatal(
    { registryDir, problems: problems.length },
    'registry invalid; fix it (yujing registry validate)',
  );
  process.exit(1);
}
const fleetModel = buildFleetModel(
  document,
  config.SIM_ENTERPRISES ? { enterpriseIds: config.SIM_ENTERPRISES } : {},
);
const all = await loadScenarioDir(config.SIM_SCENARIOS_DIR ?? scenariosDir);
const wanted =
  config.SIM_SCENARIOS === 'all' ? undefined : new Set(config.SIM_SCENARIOS.split(',').map((s) => s.trim()));
const scenarios = config.SIM_SCENARIOS === 'none' ? [] : all.filter((s) => !wanted || wanted.has(s.id));
if (wanted && config.SIM_SCENARIOS !== 'none' && scenarios.length !== wanted.size) {
  logger.fatal({ wanted: [...wanted], known: all.map((s) => s.id) }, 'unknown scenario id in SIM_SCENARIOS');
  process.exit(78);
}

const now = Date.now();
const fleet = new FleetSimulation(fleetModel, {
  seed: config.SIM_SEED,
  startMs: now,
  tsFormat: config.SIM_TS_FORMAT,
  rotation: { scenarios, everyMs: config.SIM_SCENARIO_EVERY, firstAfterMs: config.SIM_FIRST_SCENARIO_AFTER },
});

function transport(): TelemetryTransport {
  switch (config.SIM_TRANSPORT) {
    case 'mqtt':
      return new MqttTransport({ url: config.MQTT_URL, credentials: devGatewayCredentials, logger });
    case 'http':
      return new HttpTransport({
        baseUrl: config.INGEST_HTTP_URL,
        credentials: devGatewayCredentials,
        logger,
      });
    case 'kafka':
      return new KafkaTransport(
        createKafka({ clientId: 'gateway-simulator', brokers: config.KAFKA_BROKERS, logger }),
        {
          prefix: config.TOPIC_PREFIX,
        },
      );
  }
}

const runner = new SimulatorRunner({ fleet, transport: transport(), tickMs: config.SIM_TICK_MS, logger });
logger.info(
  {
    registryDir,
    enterprises: fleetModel.enterprises.length,
    gateways: fleetModel.gateways.length,
    points: fleetModel.gateways.reduce((n, g) => n + g.points.length, 0),
    scenarios: scenarios.map((s) => s.id),
  },
  'fleet loaded',
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  await runner.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await runner.start();
if (config.SIM_RUN_FOR > 0) setTimeout(() => void shutdown('SIM_RUN_FOR'), config.SIM_RUN_FOR);
