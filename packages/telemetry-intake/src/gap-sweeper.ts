import type { Logger } from '@yujing/logger';
import type { GatewayEvent } from '@yujing/schemas';
import type { SequenceTracker } from './sequence-tracker';

export interface GapSweeperOptions {
  tracker: SequenceTracker;
  /** Publishes the confirmed seq-gap events (e.g. to yj.gateway-events.v1); resolves when acknowledged. */
  publish: (events: GatewayEvent[], signal: AbortSignal) => Promise<unknown>;
  /** Counts missing sequence numbers (a metric). */
  onMissing: (missing: number) => void;
  logger: Logger;
  /** The tracker's grace period; the sweep runs at half of it, between 250 ms and 5 s. */
  gapGraceMs: number;
}

/**
 * Confirms sequence gaps on a timer rather than on arrival (reordering across connections is
 * not a gap), logs and counts them, and publishes one seq-gap event each. One sweep at a time;
 * `stop()` waits for the publish in flight after aborting its retries.
 */
export class GapSweeper {
  readonly #opts: GapSweeperOptions;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<unknown> | undefined;

  constructor(opts: GapSweeperOptions) {
    this.#opts = opts;
  }

  start(): void {
    const intervalMs = Math.max(250, Math.min(5_000, this.#opts.gapGraceMs / 2));
    this.#timer = setInterval(() => this.sweep(Date.now()), intervalMs);
  }

  sweep(now: number): void {
    if (this.#inFlight) return;
    const reports = this.#opts.tracker.sweep(now);
    if (reports.length === 0) return;
    for (const r of reports) {
      this.#opts.onMissing(r.missing);
      this.#opts.logger.warn(
        { enterpriseId: r.enterpriseId, gatewayId: r.gatewayId, detail: r.event.detail },
        'gateway sequence gap',
      );
    }
    this.#inFlight = this.#opts
      .publish(
        reports.map((r) => r.event),
        this.#abort.signal,
      )
      .catch((err) => this.#opts.logger.error({ err }, 'seq-gap events not published'))
      .finally(() => {
        this.#inFlight = undefined;
      });
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#abort.abort('shutdown');
    await this.#inFlight;
  }
}
