import type { Quality } from '@yujing/schemas';
import type { ProcessPhase } from './process-cycle';
import { type MalformedVariant, type ScenarioStep, scenarioLengthMs, stepLengthMs } from './scenario-schema';
import type { ResolvedScenario, ResolvedTarget } from './scenario-targets';

/** What a scenario does to one reading. */
export interface ValueEffect {
  v?: number;
  q?: Quality;
}

export type GatewayMode = 'normal' | 'offline' | 'hold-back';

/** A scenario action that happens once, at a moment. */
export type OneShot =
  | { type: 'malformed'; enterpriseId: string; gatewayId: string; variants: MalformedVariant[] }
  | { type: 'backfill'; enterpriseId: string; gatewayId: string; fromMs: number; toMs: number };

interface IndexedStep {
  index: number;
  step: ScenarioStep;
  startMs: number;
  endMs: number;
  pointKeys: string[];
  equipmentKeys: string[];
  gatewayKey: string;
}

const pointKeyOf = (enterpriseId: string, code: string) => `${enterpriseId}:${code}`;

/**
 * One scenario playing against the fleet from `startMs`. Pure and clock-free: callers ask what
 * the scenario does to a reading at a sensor time, which phase it forces on some equipment, the
 * mode of a gateway, and which one-shot actions are due. Later steps win over earlier ones.
 */
export class ScenarioRun {
  readonly endMs: number;
  readonly #steps: IndexedStep[];
  readonly #captured = new Map<string, number>();
  readonly #shotsTaken = new Set<number>();

  constructor(
    readonly resolved: ResolvedScenario,
    readonly startMs: number,
  ) {
    this.endMs = startMs + scenarioLengthMs(resolved.scenario);
    this.#steps = resolved.scenario.steps.map((step, index) => {
      const target = resolved.targets[step.target]!;
      const points = pointsOf(target, step.members);
      return {
        index,
        step,
        startMs: startMs + step.at,
        endMs: startMs + step.at + stepLengthMs(step),
        pointKeys: points.map((p) => pointKeyOf(p.enterpriseId, p.code)),
        equipmentKeys: points.map((p) => `${p.enterpriseId}/${p.equipmentKey}`),
        gatewayKey: `${target.enterpriseId}:${target.gatewayId}`,
      };
    });
  }

  get id(): string {
    return this.resolved.scenario.id;
  }

  finished(nowMs: number): boolean {
    return nowMs >= this.endMs;
  }

  /** The effect on a reading of `enterpriseId:code` at sensor time `tsMs`, given its healthy value. */
  pointEffect(pointKey: string, tsMs: number, baseline: number): ValueEffect | undefined {
    let effect: ValueEffect | undefined;
    for (const s of this.#steps) {
      if (!s.pointKeys.includes(pointKey) || tsMs < s.startMs || tsMs >= s.endMs) continue;
      const next = this.#stepEffect(s, pointKey, tsMs, baseline);
      if (next) effect = { ...effect, ...next };
    }
    return effect;
  }

  /** The phase forced on `enterpriseId/equipmentKey` at `tsMs`, if any. */
  phaseFor(equipmentKey: string, tsMs: number): ProcessPhase | undefined {
    let phase: ProcessPhase | undefined;
    for (const s of this.#steps) {
      if (
        s.step.do === 'phase' &&
        s.equipmentKeys.includes(equipmentKey) &&
        tsMs >= s.startMs &&
        tsMs < s.endMs
      )
        phase = s.step.phase;
    }
    return phase;
  }

  gatewayMode(gatewayKey: string, nowMs: number): GatewayMode {
    let mode: GatewayMode = 'normal';
    for (const s of this.#steps) {
      if (s.gatewayKey !== gatewayKey || nowMs < s.startMs || nowMs >= s.endMs) continue;
      if (s.step.do === 'offline') mode = 'offline';
      else if (s.step.do === 'hold-back' && mode !== 'offline') mode = 'hold-back';
    }
    return mode;
  }

  /** One-shot actions of `gatewayKey` (`enterpriseId:gatewayId`) due by `nowMs` and not yet returned. */
  takeOneShots(nowMs: number, gatewayKey: string): OneShot[] {
    const due: OneShot[] = [];
    for (const s of this.#steps) {
      if (nowMs < s.startMs || s.gatewayKey !== gatewayKey || this.#shotsTaken.has(s.index)) continue;
      const [enterpriseId, gatewayId] = splitKey(s.gatewayKey);
      if (s.step.do === 'malformed') {
        due.push({ type: 'malformed', enterpriseId, gatewayId, variants: [...s.step.variants] });
      } else if (s.step.do === 'backfill') {
        const fromMs = s.startMs - s.step.ago;
        due.push({ type: 'backfill', enterpriseId, gatewayId, fromMs, toMs: fromMs + s.step.span });
      } else {
        continue;
      }
      this.#shotsTaken.add(s.index);
    }
    return due;
  }

  #stepEffect(s: IndexedStep, pointKey: string, tsMs: number, baseline: number): ValueEffect | undefined {
    const step = s.step;
    const t = tsMs - s.startMs;
    switch (step.do) {
      case 'set':
        return { v: step.value };
      case 'quality':
        return { q: step.q };
      case 'freeze':
        return { v: this.#capture(s.index, pointKey, baseline) };
      case 'ramp': {
        const from = this.#capture(s.index, pointKey, baseline);
        const back = step.back ?? step.over;
        if (t < step.over) return { v: from + ((step.to - from) * t) / Math.max(1, step.over) };
        if (t < step.over + step.hold) return { v: step.to };
        const u = (t - step.over - step.hold) / Math.max(1, back);
        return { v: step.to + (baseline - step.to) * Math.min(1, u) };
      }
      default:
        return undefined;
    }
  }

  #capture(index: number, pointKey: string, value: number): number {
    const key = `${index}|${pointKey}`;
    const seen = this.#captured.get(key);
    if (seen !== undefined) return seen;
    this.#captured.set(key, value);
    return value;
  }
}

function pointsOf(target: ResolvedTarget, members?: number[]) {
  switch (target.type) {
    case 'point':
      return [target.point];
    case 'group':
      return members ? members.map((i) => target.members[i]).filter((p) => p !== undefined) : target.members;
    case 'gateway':
      return [];
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}
