import type { FleetModel } from './fleet-model';
import { GatewaySimulation, type GatewayTick } from './gateway-simulation';
import { ScenarioRun } from './scenario-run';
import type { Scenario } from './scenario-schema';
import { resolveScenario, ScenarioResolutionError } from './scenario-targets';
import type { TimestampFormat } from './wire-time';

export interface FleetSimulationOptions {
  seed: number | string;
  startMs: number;
  firstSeq?: number;
  tsFormat?: TimestampFormat;
  maxReadingsPerMessage?: number;
  /** Scenarios started in turn, one every `everyMs` (the demo's "a scenario every minute"). */
  rotation?: { scenarios: readonly Scenario[]; everyMs: number; firstAfterMs?: number };
  /** Settling time kept after a scenario ends before its enterprise takes another (clears alarms). */
  cooldownMs?: number;
}

export interface FleetTick {
  gateways: GatewayTick[];
  started: ScenarioRun[];
  finished: ScenarioRun[];
  /** Rotation scenarios that found no free enterprise this time (tried again at the next turn). */
  skipped: { scenarioId: string; reason: string }[];
}

/**
 * The whole simulated fleet: every gateway plus the scenarios in play. Concurrent scenarios
 * never share an enterprise, so each one's alarms are its own. Pure: the clock is `nowMs`.
 */
export class FleetSimulation {
  readonly gateways: GatewaySimulation[];
  readonly #active: ScenarioRun[] = [];
  readonly #cooling = new Map<string, number>();
  #nextRotationMs: number | undefined;
  #rotationIndex = 0;
  readonly #pending: { scenario: Scenario; atMs: number }[] = [];

  constructor(
    readonly fleet: FleetModel,
    private readonly opts: FleetSimulationOptions,
  ) {
    const firstSeq = opts.firstSeq ?? opts.startMs;
    this.gateways = fleet.gateways.map(
      (g) =>
        new GatewaySimulation(g, {
          seed: opts.seed,
          startMs: opts.startMs,
          firstSeq,
          ...(opts.tsFormat ? { tsFormat: opts.tsFormat } : {}),
          ...(opts.maxReadingsPerMessage ? { maxReadingsPerMessage: opts.maxReadingsPerMessage } : {}),
        }),
    );
    if (opts.rotation && opts.rotation.scenarios.length > 0)
      this.#nextRotationMs = opts.startMs + (opts.rotation.firstAfterMs ?? opts.rotation.everyMs);
  }

  get activeScenarios(): readonly ScenarioRun[] {
    return this.#active;
  }

  /** Starts a scenario now on an enterprise no running or cooling scenario uses. Throws if none fits. */
  startScenario(scenario: Scenario, nowMs: number): ScenarioRun {
    const exclude = new Set([...this.#active.map((r) => r.resolved.enterpriseId)]);
    for (const [id, until] of this.#cooling) if (until > nowMs) exclude.add(id);
    const run = new ScenarioRun(resolveScenario(scenario, this.fleet, { exclude }), nowMs);
    this.#active.push(run);
    return run;
  }

  /** Queues a scenario to start at `atMs` (tests and the CLI schedule several). */
  schedule(scenario: Scenario, atMs: number): void {
    this.#pending.push({ scenario, atMs });
  }

  tick(nowMs: number): FleetTick {
    const started: ScenarioRun[] = [];
    const skipped: FleetTick['skipped'] = [];
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const p = this.#pending[i]!;
      if (p.atMs <= nowMs) {
        this.#pending.splice(i, 1);
        started.push(this.startScenario(p.scenario, nowMs));
      }
    }
    const rotation = this.opts.rotation;
    if (rotation && this.#nextRotationMs !== undefined && nowMs >= this.#nextRotationMs) {
      const scenario = rotation.scenarios[this.#rotationIndex++ % rotation.scenarios.length]!;
      this.#nextRotationMs = nowMs + rotation.everyMs;
      try {
        started.push(this.startScenario(scenario, nowMs));
      } catch (err) {
        if (!(err instanceof ScenarioResolutionError)) throw err;
        skipped.push({ scenarioId: scenario.id, reason: err.message });
      }
    }
    const gateways = this.gateways
      .map((g) => g.tick(nowMs, this.#active))
      .filter((t) => t.messages.length > 0 || t.malformed.length > 0 || t.connectivity !== undefined);
    const finished: ScenarioRun[] = [];
    for (let i = this.#active.length - 1; i >= 0; i--) {
      const run = this.#active[i]!;
      if (run.finished(nowMs)) {
        this.#active.splice(i, 1);
        this.#cooling.set(run.resolved.enterpriseId, nowMs + (this.opts.cooldownMs ?? 60_000));
        finished.push(run);
      }
    }
    return { gateways, started, finished, skipped };
  }
}
