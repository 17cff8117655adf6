import type { Logger } from '@yujing/logger';
import type { FleetSimulation, FleetTick } from './fleet-simulation';
import type { GatewayTick } from './gateway-simulation';
import { HttpIngestError } from './http-transport';
import type { TelemetryTransport } from './telemetry-transport';

export interface RunnerStats {
  messagesSent: number;
  readingsSent: number;
  malformedSent: number;
  sendFailures: number;
  /** Messages handed to the transport and not yet acknowledged. */
  inFlight: number;
}

export interface SimulatorRunnerOptions {
  fleet: FleetSimulation;
  transport: TelemetryTransport;
  tickMs: number;
  logger: Logger;
  now?: () => number;
  /** Called after each tick (the demo prints scenario starts; tests observe). */
  onTick?: (tick: FleetTick, nowMs: number) => void;
  statsEveryMs?: number;
}

/**
 * Drives a FleetSimulation on the wall clock and hands its output to a transport. Each gateway's
 * sends are chained, so its messages leave in seq order; different gateways run concurrently.
 * Logs per scenario and a periodic summary, never per reading.
 */
export class SimulatorRunner {
  readonly stats: RunnerStats = {
    messagesSent: 0,
    readingsSent: 0,
    malformedSent: 0,
    sendFailures: 0,
    inFlight: 0,
  };
  readonly #chains = new Map<string, Promise<void>>();
  readonly #log: Logger;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #statsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SimulatorRunnerOptions) {
    this.#log = opts.logger.child({ component: 'simulator', transport: opts.transport.name });
    this.#now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.opts.transport.open(
      this.opts.fleet.gateways.map((g) => ({ enterpriseId: g.enterpriseId, gatewayId: g.gatewayId })),
    );
    this.#timer = setInterval(() => this.tickOnce(), this.opts.tickMs);
    this.#statsTimer = setInterval(
      () => this.#log.info({ ...this.stats }, 'simulator progress'),
      this.opts.statsEveryMs ?? 30_000,
    );
    this.#log.info(
      { gateways: this.opts.fleet.gateways.length, tickMs: this.opts.tickMs },
      'simulator started',
    );
  }

  /** One tick now (the interval calls it; exported for tests and single-step tools). */
  tickOnce(): FleetTick {
    const now = this.#now();
    const tick = this.opts.fleet.tick(now);
    for (const run of tick.started)
      this.#log.info(
        {
          scenario: run.id,
          enterpriseId: run.resolved.enterpriseId,
          endsAt: new Date(run.endMs).toISOString(),
        },
        'scenario started',
      );
    for (const run of tick.finished)
      this.#log.info({ scenario: run.id, enterpriseId: run.resolved.enterpriseId }, 'scenario finished');
    for (const s of tick.skipped) this.#log.warn(s, 'scenario skipped: no free enterprise');
    for (const g of tick.gateways) this.#enqueue(g);
    this.opts.onTick?.(tick, now);
    return tick;
  }

  /** Resolves when every send handed out so far has settled. */
  async drained(): Promise<void> {
    while (this.stats.inFlight > 0) await Promise.allSettled([...this.#chains.values()]);
  }

  /** Stop ticking, let in-flight sends finish (bounded), then say goodbye. */
  async stop(drainMs = 10_000): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#statsTimer);
    await Promise.race([this.drained(), new Promise((r) => setTimeout(r, drainMs).unref())]);
    await this.opts.transport.close();
    this.#log.info({ ...this.stats }, 'simulator stopped');
  }

  #enqueue(g: GatewayTick): void {
    const key = `${g.enterpriseId}:${g.gatewayId}`;
    const gw = { enterpriseId: g.enterpriseId, gatewayId: g.gatewayId };
    const count = g.messages.length + g.malformed.length + (g.connectivity ? 1 : 0);
    this.stats.inFlight += count;
    const work = async () => {
      if (g.connectivity === 'lost') await this.#step(() => this.opts.transport.connectionLost(gw), g);
      if (g.connectivity === 'restored')
        await this.#step(() => this.opts.transport.connectionRestored(gw), g);
      for (const m of g.messages) {
        if (await this.#step(() => this.opts.transport.send(gw, m.payload), g)) {
          this.stats.messagesSent++;
          this.stats.readingsSent += m.readings;
        }
      }
      for (const bad of g.malformed) {
        try {
          await this.opts.transport.send(gw, bad.payload);
        } catch (err) {
          // HTTP answers 4xx for bad input: that is the expected outcome, not a failure.
          if (!(err instanceof HttpIngestError && err.status < 500)) this.#fail(err, g);
        } finally {
          this.stats.inFlight--;
        }
        this.stats.malformedSent++;
      }
      if (g.backfilled)
        this.#log.info(
          { enterpriseId: g.enterpriseId, gatewayId: g.gatewayId, ...g.backfilled },
          'back-filled history sent',
        );
    };
    const chain = (this.#chains.get(key) ?? Promise.resolve()).then(work);
    this.#chains.set(key, chain);
  }

  async #step(fn: () => Promise<void>, g: GatewayTick): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (err) {
      this.#fail(err, g);
      return false;
    } finally {
      this.stats.inFlight--;
    }
  }

  #fail(err: unknown, g: GatewayTick): void {
    this.stats.sendFailures++;
    this.#log.warn({ err, enterpriseId: g.enterpriseId, gatewayId: g.gatewayId }, 'send failed');
  }
}
