import { durationMs, intVar, listVar, logLevelVar, urlVar } from '@yujing/config';
import { z } from 'zod';

/** The gateway simulator's environment (read once in main.ts). */
export const SimulatorConfig = z.object({
  /** How gateways reach yujing: mqtt (the real path), http (POST with bearer token) or kafka (platform feed). */
  SIM_TRANSPORT: z.enum(['mqtt', 'http', 'kafka']).default('mqtt'),
  /** yujing's own Mosquitto (auth + ACL), not the stock broker on 1883. */
  MQTT_URL: urlVar().default('mqtt://127.0.0.1:1884'),
  /** gateway-ingest's HTTP listener, for SIM_TRANSPORT=http. */
  INGEST_HTTP_URL: urlVar().default('http://127.0.0.1:8081'),
  /** Kafka bootstrap brokers, for SIM_TRANSPORT=kafka. */
  KAFKA_BROKERS: listVar().default(['127.0.0.1:9092']),
  /** Prefix of every topic (tests run isolated); '' in a real deployment. */
  TOPIC_PREFIX: z.string().default(''),
  /** Registry directory (YAML/JSON) whose gateways and points are simulated; default: the fixture fleet. */
  REGISTRY_DIR: z.string().optional(),
  /** Only these enterprise ids (comma separated); default: every enterprise of the registry. */
  SIM_ENTERPRISES: listVar().optional(),
  /** Scenario files directory; default simulators/scenarios. */
  SIM_SCENARIOS_DIR: z.string().optional(),
  /** Scenario ids to rotate through (comma separated), "all", or "none" for a quiet fleet. */
  SIM_SCENARIOS: z.string().default('all'),
  /** One scenario starts every this long (the demo: about a minute). */
  SIM_SCENARIO_EVERY: durationMs().default(60_000),
  /** Delay before the first scenario, so the fleet is seen healthy first. */
  SIM_FIRST_SCENARIO_AFTER: durationMs().default(20_000),
  /** Seed of every signal: the same seed and registry replay the same fleet. */
  SIM_SEED: z.string().default('yujing'),
  /** Tick period: each tick sends each gateway's due readings as one message. */
  SIM_TICK_MS: intVar(50, 60_000).default(1000),
  /** Timestamps on the wire: ISO-8601 with +08:00 (as Shanxi gateways send them) or epoch ms. */
  SIM_TS_FORMAT: z.enum(['iso', 'epoch']).default('iso'),
  /** Stop by itself after this long (0 = run until SIGINT/SIGTERM). */
  SIM_RUN_FOR: durationMs().default(0),
  LOG_LEVEL: logLevelVar().default('info'),
});
export type SimulatorConfig = z.infer<typeof SimulatorConfig>;
