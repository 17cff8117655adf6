export { SimulatorConfig } from './config';
export {
  buildFleetModel,
  type FleetFilter,
  type FleetModel,
  type SimGatewaySpec,
  type SimPointSpec,
} from './fleet-model';
export { FleetSimulation, type FleetSimulationOptions, type FleetTick } from './fleet-simulation';
export { type EncodedMessage, GatewaySimulation, type GatewayTick } from './gateway-simulation';
export { HttpIngestError, HttpTransport } from './http-transport';
export { ENTERPRISE_HEADER, KafkaTransport } from './kafka-transport';
export { fitsMqtt, malformedMessage } from './malformed-message';
export { MqttTransport } from './mqtt-transport';
export { PointSignal, safeBand } from './point-signal';
export { CASTING_CYCLE, COLLECTOR_CYCLE, type ProcessPhase, phaseAt } from './process-cycle';
export {
  type BoundExpectation,
  boundExpectations,
  eventMeets,
  forbiddenRaises,
  unmetExpectations,
} from './scenario-expectations';
export {
  loadScenarioDir,
  loadScenarioFile,
  parseScenario,
  ScenarioFileError,
  scenariosDir,
} from './scenario-loader';
export { type GatewayMode, type OneShot, ScenarioRun } from './scenario-run';
export { MalformedVariant, Scenario, type ScenarioInput, scenarioLengthMs } from './scenario-schema';
export {
  alarmPointOf,
  type ResolvedScenario,
  type ResolvedTarget,
  resolveScenario,
  ScenarioResolutionError,
} from './scenario-targets';
export { SeededRandom } from './seeded-random';
export { SIGNAL_PROFILES, signalProfile } from './signal-profile';
export { type RunnerStats, SimulatorRunner } from './simulator-runner';
export type { CredentialsOf, GatewayEndpoint, TelemetryTransport } from './telemetry-transport';
export { isoCst, type TimestampFormat } from './wire-time';
