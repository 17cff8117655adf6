/**
 * Seeded generators of valid and mutated telemetry values for the property tests of the fast
 * parsers: the same seed gives the same cases, so a failure names a reproducible case number.
 */

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const int = (rnd: Random, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const ID_FIRST = 'ABCXYZabcxyz0189';
const ID_REST = 'ABCXYZabcxyz0189._-';

export function localId(rnd: Random): string {
  let s = pick(rnd, [...ID_FIRST]);
  const n = int(rnd, 0, 20);
  for (let i = 0; i < n; i++) s += pick(rnd, [...ID_REST]);
  return s;
}

/** An ISO date-time, usually valid; the fields wander past their ranges now and then. */
export function isoDateTime(rnd: Random): string {
  const wild = rnd() < 0.3;
  const year = pad(wild ? int(rnd, 0, 9999) : int(rnd, 2000, 2030), 4);
  const month = pad(wild ? int(rnd, 0, 13) : int(rnd, 1, 12), 2);
  const day = pad(wild ? int(rnd, 0, 32) : int(rnd, 1, 28), 2);
  const hour = pad(wild ? int(rnd, 0, 25) : int(rnd, 0, 23), 2);
  const minute = pad(wild ? int(rnd, 0, 61) : int(rnd, 0, 59), 2);
  const second = pad(wild ? int(rnd, 0, 61) : int(rnd, 0, 59), 2);
  const fraction = pick(rnd, ['', '', '.1', '.120', '.123456789', '.']);
  const offset = pick(rnd, [
    'Z',
    '+08:00',
    '-05:30',
    '+00:00',
    '+23:59',
    '+24:00',
    '+08:60',
    '+0800',
    'z',
    '',
    '+8:00',
  ]);
  const sep = rnd() < 0.95 ? 'T' : pick(rnd, ['t', ' ']);
  return `${year}-${month}-${day}${sep}${hour}:${minute}:${second}${fraction}${offset}`;
}

/** Values that break some contract somewhere: wrong types, edge numbers, bad ids and dates. */
export const ODD_VALUES: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  {},
  [],
  [1],
  '',
  ' ',
  '1',
  'good',
  'GOOD',
  'bad ',
  'uncertain',
  'mqtt',
  'kafka',
  'simulator',
  'http',
  'ftp',
  0,
  -0,
  1,
  2,
  -1,
  0.5,
  -0.5,
  1e21,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1764295200000,
  1764295200000.5,
  'A',
  'A'.repeat(64),
  'A'.repeat(65),
  'gw:1',
  'gw 1',
  '-lead',
  '.lead',
  '_lead',
  'CO-BF1-003',
  'CO\n',
  'é',
  'x\u{1F600}',
  '2026-11-28T10:00:00+08:00',
  '2026-11-28T10:00:00.120Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2026-11-28T24:00:00Z',
  '2026-11-28T10:00:00',
  '2026-11-28T10:00Z',
  '2026-11-28T10:00:00Z\n',
  ' 2026-11-28T10:00:00Z',
  '1764295200000',
];

export function oddValue(rnd: Random): unknown {
  const r = rnd();
  if (r < 0.15) return isoDateTime(rnd);
  if (r < 0.25) return localId(rnd);
  if (r < 0.3) return -int(rnd, 1, 1e6);
  return pick(rnd, ODD_VALUES);
}

/** A NativeReading as gateways send it: epoch or ISO ts, q sometimes absent. */
export function nativeReading(rnd: Random): Record<string, unknown> {
  const r: Record<string, unknown> = {
    point: localId(rnd),
    ts: rnd() < 0.5 ? int(rnd, 0, 2_000_000_000_000) : isoDateTime(rnd),
    v: rnd() < 0.3 ? int(rnd, 0, 1) : (rnd() - 0.5) * 10 ** int(rnd, 0, 8),
  };
  if (rnd() < 0.7) r.q = pick(rnd, ['good', 'uncertain', 'bad']);
  return r;
}

export function normalisedReading(rnd: Random): Record<string, unknown> {
  return {
    point: localId(rnd),
    kind: pick(rnd, ['co-concentration', 'mould-water-pressure', 'k', '温度']),
    ts: int(rnd, 0, 2_000_000_000_000),
    v: rnd() < 0.3 ? int(rnd, 0, 1) : (rnd() - 0.5) * 10 ** int(rnd, 0, 8),
    q: pick(rnd, ['good', 'uncertain', 'bad']),
  };
}

export function readingBatch(rnd: Random): Record<string, unknown> {
  const n = int(rnd, 1, 8);
  return {
    v: 1,
    enterpriseId: pick(rnd, ['ent-1', 'E', '晋钢', localId(rnd)]),
    gatewayId: localId(rnd),
    seq: int(rnd, 0, 1e9),
    source: pick(rnd, ['mqtt', 'http', 'kafka', 'simulator']),
    sentAt: int(rnd, 0, 2_000_000_000_000),
    receivedAt: int(rnd, 0, 2_000_000_000_000),
    readings: Array.from({ length: n }, () => normalisedReading(rnd)),
  };
}

/** A native v1 message as a gateway sends it, sometimes with the optional enterpriseId claim. */
export function telemetryMessage(rnd: Random): Record<string, unknown> {
  const m: Record<string, unknown> = {
    v: 1,
    gatewayId: localId(rnd),
    seq: int(rnd, 0, 1e9),
    sentAt: rnd() < 0.5 ? int(rnd, 0, 2_000_000_000_000) : isoDateTime(rnd),
    readings: Array.from({ length: int(rnd, 1, 6) }, () => nativeReading(rnd)),
  };
  if (rnd() < 0.3) m.enterpriseId = pick(rnd, ['ent-1', '', '晋钢']);
  return m;
}

const EXTRA_KEYS = ['extra', 'constructor', 'toString', 'V', 'readings2'];

/**
 * Applies 1–3 random mutations (delete a key, replace a value, add an unknown key, add an own
 * `__proto__`) to a deep copy of `value`, at the top level or inside one of its arrays' objects.
 */
export function mutate(rnd: Random, value: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const count = int(rnd, 1, 3);
  for (let i = 0; i < count; i++) {
    let target: Record<string, unknown> = copy;
    const arrays = Object.values(copy).filter((x): x is unknown[] => Array.isArray(x) && x.length > 0);
    if (arrays.length > 0 && rnd() < 0.5) {
      const arr = pick(rnd, arrays);
      const at = int(rnd, 0, arr.length - 1);
      if (rnd() < 0.1) {
        arr[at] = oddValue(rnd);
        continue;
      }
      if (rnd() < 0.05) {
        arr.length = 0;
        continue;
      }
      const el = arr[at];
      if (typeof el !== 'object' || el === null) continue;
      target = el as Record<string, unknown>;
    }
    const keys = Object.keys(target);
    const op = rnd();
    if (op < 0.2 && keys.length > 0) delete target[pick(rnd, keys)];
    else if (op < 0.8 && keys.length > 0) target[pick(rnd, keys)] = oddValue(rnd);
    else if (op < 0.95) target[pick(rnd, EXTRA_KEYS)] = oddValue(rnd);
    else
      Object.defineProperty(target, '__proto__', {
        value: oddValue(rnd),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy;
}

/** Top-level inputs that are not objects at all. */
export const NOT_OBJECTS: readonly unknown[] = [null, undefined, 1, 'x', true, [], [{}], Number.NaN];
