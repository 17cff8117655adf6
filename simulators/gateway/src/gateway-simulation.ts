import type { NativeReading, Quality, TelemetryMessageV1 } from '@yujing/schemas';
import type { SimGatewaySpec, SimPointSpec } from './fleet-model';
import { malformedMessage } from './malformed-message';
import { PointSignal, round } from './point-signal';
import { cycleForKinds, cycleLengthMs, type ProcessCycle, phaseAt } from './process-cycle';
import type { GatewayMode, ScenarioRun } from './scenario-run';
import type { MalformedVariant } from './scenario-schema';
import { hashSeed, SeededRandom } from './seeded-random';
import { signalProfile } from './signal-profile';
import { type TimestampFormat, wireTime } from './wire-time';

export interface GatewaySimulationOptions {
  seed: number | string;
  startMs: number;
  /** First sequence number; a wall-clock value keeps seq monotonic across simulator restarts. */
  firstSeq: number;
  tsFormat?: TimestampFormat;
  /** Readings per message when a tick or a back-fill has many (≤ 5,000 by the contract). */
  maxReadingsPerMessage?: number;
}

export interface EncodedMessage {
  payload: Buffer;
  seq: number;
  readings: number;
}

/** What one gateway does in one tick; the transport carries it out. */
export interface GatewayTick {
  enterpriseId: string;
  gatewayId: string;
  messages: EncodedMessage[];
  malformed: { variant: MalformedVariant; payload: Buffer }[];
  /** The connection drops without a goodbye (last will), or comes back. */
  connectivity?: 'lost' | 'restored';
  backfilled?: { fromMs: number; toMs: number; readings: number };
}

interface PointState {
  spec: SimPointSpec;
  signal: PointSignal;
  cycle: ProcessCycle;
  cycleOffsetMs: number;
  nextDueMs: number;
}

/**
 * One gateway of the fleet: samples each point at its own period, batches the due readings of a
 * tick into native v1 messages with a monotonic seq, and applies the scenarios (value effects,
 * forced phases, offline, hold-back then burst, back-fill, malformed messages). Pure: the clock
 * is the `nowMs` argument.
 */
export class GatewaySimulation {
  readonly enterpriseId: string;
  readonly gatewayId: string;
  readonly key: string;
  #seq: number;
  #mode: GatewayMode = 'normal';
  readonly #points: PointState[];
  readonly #held: NativeReading[] = [];
  readonly #rng: SeededRandom;
  readonly #tsFormat: TimestampFormat;
  readonly #chunk: number;

  constructor(
    readonly spec: SimGatewaySpec,
    opts: GatewaySimulationOptions,
  ) {
    this.enterpriseId = spec.enterpriseId;
    this.gatewayId = spec.gatewayId;
    this.key = `${spec.enterpriseId}:${spec.gatewayId}`;
    this.#seq = opts.firstSeq;
    this.#rng = new SeededRandom(`${opts.seed}|${this.key}`);
    this.#tsFormat = opts.tsFormat ?? 'iso';
    this.#chunk = Math.min(5000, opts.maxReadingsPerMessage ?? 500);
    const kindsByEquipment = new Map<string, string[]>();
    for (const p of spec.points)
      kindsByEquipment.set(p.equipmentKey, [...(kindsByEquipment.get(p.equipmentKey) ?? []), p.kind]);
    this.#points = spec.points.map((p) => {
      const cycle = cycleForKinds(kindsByEquipment.get(p.equipmentKey) ?? []);
      const phaseOffset = hashSeed(`${p.enterpriseId}:${p.code}`) % p.samplingPeriodMs;
      const first =
        Math.ceil((opts.startMs - phaseOffset) / p.samplingPeriodMs) * p.samplingPeriodMs + phaseOffset;
      return {
        spec: p,
        signal: new PointSignal(signalProfile(p.kind), p.bounds, this.#rng.fork(p.code)),
        cycle,
        cycleOffsetMs: hashSeed(`${p.enterpriseId}/${p.equipmentKey}`) % cycleLengthMs(cycle),
        nextDueMs: first,
      };
    });
  }

  get nextSeq(): number {
    return this.#seq;
  }

  tick(nowMs: number, scenarios: readonly ScenarioRun[]): GatewayTick {
    const out: GatewayTick = {
      enterpriseId: this.enterpriseId,
      gatewayId: this.gatewayId,
      messages: [],
      malformed: [],
    };
    const mode = scenarios.reduce<GatewayMode>((m, s) => {
      const sm = s.gatewayMode(this.key, nowMs);
      return sm === 'offline' || m === 'offline' ? 'offline' : sm === 'hold-back' ? sm : m;
    }, 'normal');
    if (mode === 'offline' && this.#mode !== 'offline') out.connectivity = 'lost';
    if (mode !== 'offline' && this.#mode === 'offline') out.connectivity = 'restored';

    const due = this.#sampleDue(nowMs, scenarios);
    if (mode === 'hold-back') this.#held.push(...due);
    else if (mode === 'normal') {
      const burst = this.#held.splice(0, this.#held.length);
      this.#emit([...burst, ...due], nowMs, out);
    }
    this.#mode = mode;

    for (const run of scenarios) {
      for (const shot of run.takeOneShots(nowMs, this.key)) {
        if (shot.type === 'malformed') {
          const point = this.#points[0]?.spec.code ?? 'P';
          for (const variant of shot.variants)
            out.malformed.push({
              variant,
              payload: malformedMessage(variant, {
                gatewayId: this.gatewayId,
                seq: this.#seq++,
                nowMs,
                point,
              }),
            });
        } else {
          const readings = this.#backfill(shot.fromMs, shot.toMs);
          this.#emit(readings, nowMs, out);
          out.backfilled = { fromMs: shot.fromMs, toMs: shot.toMs, readings: readings.length };
        }
      }
    }
    return out;
  }

  #sampleDue(nowMs: number, scenarios: readonly ScenarioRun[]): NativeReading[] {
    const readings: NativeReading[] = [];
    for (const p of this.#points) {
      while (p.nextDueMs <= nowMs) {
        const ts = p.nextDueMs;
        p.nextDueMs += p.spec.samplingPeriodMs;
        const eqKey = `${p.spec.enterpriseId}/${p.spec.equipmentKey}`;
        const forced = scenarios.map((s) => s.phaseFor(eqKey, ts)).find((x) => x !== undefined);
        const baseline = p.signal.sample(ts, forced ?? phaseAt(p.cycle, p.cycleOffsetMs, ts));
        let v = baseline;
        let q: Quality = 'good';
        for (const s of scenarios) {
          const effect = s.pointEffect(`${p.spec.enterpriseId}:${p.spec.code}`, ts, baseline);
          if (effect?.v !== undefined) v = round(effect.v, p.signal.profile.decimals);
          if (effect?.q !== undefined) q = effect.q;
        }
        readings.push({ point: p.spec.code, ts: wireTime(ts, this.#tsFormat), v, q });
      }
    }
    return readings;
  }

  /** Healthy history for [fromMs, toMs), from signals of its own so the live ones are untouched. */
  #backfill(fromMs: number, toMs: number): NativeReading[] {
    const readings: NativeReading[] = [];
    const rng = this.#rng.fork(`backfill-${fromMs}`);
    for (const p of this.#points) {
      const signal = new PointSignal(p.signal.profile, p.spec.bounds, rng.fork(p.spec.code));
      const period = p.spec.samplingPeriodMs;
      for (let ts = Math.ceil(fromMs / period) * period; ts < toMs; ts += period) {
        const v = signal.sample(ts, phaseAt(p.cycle, p.cycleOffsetMs, ts));
        readings.push({ point: p.spec.code, ts: wireTime(ts, this.#tsFormat), v, q: 'good' });
      }
    }
    return readings;
  }

  #emit(readings: NativeReading[], nowMs: number, out: GatewayTick): void {
    for (let i = 0; i < readings.length; i += this.#chunk) {
      const msg: TelemetryMessageV1 = {
        v: 1,
        gatewayId: this.gatewayId,
        seq: this.#seq++,
        sentAt: wireTime(nowMs, this.#tsFormat),
        readings: readings.slice(i, i + this.#chunk),
      };
      out.messages.push({
        payload: Buffer.from(JSON.stringify(msg)),
        seq: msg.seq,
        readings: msg.readings.length,
      });
    }
  }
}
