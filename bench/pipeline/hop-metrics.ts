/**
 * The alarm-path histogram (`yujing_alarm_path_seconds{hop}`, docs/observability.md) scraped from
 * the services' /metrics, so the bench can print each hop's p50/p99 over a phase beside the
 * end-to-end figure it measures itself.
 */

/** Cumulative bucket counts per hop: hop → (upper bound in s → count), summed over services. */
export type HopBuckets = Map<string, Map<number, number>>;

const BUCKET = /^yujing_alarm_path_seconds_bucket\{([^}]*)\}\s+(\S+)/;

/** Parses the bucket lines of Prometheus text exposition. */
export function parseHopBuckets(text: string, into: HopBuckets = new Map()): HopBuckets {
  for (const line of text.split('\n')) {
    const m = BUCKET.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!] as const),
    );
    const hop = labels.hop;
    if (!hop || labels.le === undefined) continue;
    const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
    const buckets = into.get(hop) ?? new Map<number, number>();
    into.set(hop, buckets);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
  }
  return into;
}

/** Scrapes every /metrics URL and sums the hops' buckets (a service that does not answer adds nothing). */
export async function scrapeHops(urls: readonly string[]): Promise<HopBuckets> {
  const into: HopBuckets = new Map();
  for (const url of urls) {
    const text = await fetch(url)
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
    parseHopBuckets(text, into);
  }
  return into;
}

/** What was observed between two scrapes. */
export function hopDelta(before: HopBuckets, after: HopBuckets): HopBuckets {
  const out: HopBuckets = new Map();
  for (const [hop, buckets] of after) {
    const b0 = before.get(hop);
    out.set(hop, new Map([...buckets].map(([le, n]) => [le, n - (b0?.get(le) ?? 0)])));
  }
  return out;
}

/** Observations of a hop. */
export function hopCount(buckets: Map<number, number>): number {
  return buckets.get(Number.POSITIVE_INFINITY) ?? 0;
}

/**
 * The q-quantile (0..1) in seconds, interpolated linearly inside its bucket as Prometheus'
 * histogram_quantile does; NaN without observations; the last finite bound if it falls in +Inf.
 */
export function hopQuantile(buckets: Map<number, number>, q: number): number {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = hopCount(buckets);
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const le of bounds) {
    const count = buckets.get(le)!;
    if (count >= rank) {
      if (!Number.isFinite(le)) return prevBound;
      const inBucket = count - prevCount;
      return inBucket <= 0 ? le : prevBound + ((le - prevBound) * (rank - prevCount)) / inBucket;
    }
    prevBound = le;
    prevCount = count;
  }
  return prevBound;
}
