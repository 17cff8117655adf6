import { formatClock, formatClockSeconds, formatDateTime } from '../lib/shanghai-time';

export interface Bucket {
  ts: number;
  avg: number | null;
  min: number | null;
  max: number | null;
}

export interface LimitLine {
  label: string;
  value: number;
  tone: 'warn' | 'alarm';
}

/**
 * The readings around an alarm as SVG: the min–max band and the average of each down-sampled
 * bucket, the point's limits as dashed lines, and the alarm's raise time as a marker.
 */
export function LineChart(props: { buckets: Bucket[]; limits: LimitLine[]; unit: string; markerAt?: number }) {
  const W = 760;
  const H = 260;
  const pad = { l: 52, r: 100, t: 12, b: 28 };
  const pts = props.buckets.filter((b) => b.avg !== null);
  if (pts.length === 0) return <p class="muted">此时间段内没有读数。</p>;
  const xs = props.buckets.map((b) => b.ts);
  const x0 = Math.min(...xs, props.markerAt ?? Number.POSITIVE_INFINITY);
  const x1 = Math.max(...xs, props.markerAt ?? Number.NEGATIVE_INFINITY);
  const values = [
    ...pts.flatMap((b) => [b.min ?? (b.avg as number), b.max ?? (b.avg as number)]),
    ...props.limits.map((l) => l.value),
  ];
  let y0 = Math.min(...values);
  let y1 = Math.max(...values);
  if (y1 === y0) y1 = y0 + 1;
  const span = y1 - y0;
  y0 -= span * 0.05;
  y1 += span * 0.08;
  const sx = (t: number) => pad.l + ((t - x0) / Math.max(1, x1 - x0)) * (W - pad.l - pad.r);
  const sy = (v: number) => pad.t + (1 - (v - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  const avgPath = pts.map((b, i) => `${i ? 'L' : 'M'}${sx(b.ts).toFixed(1)},${sy(b.avg as number).toFixed(1)}`).join('');
  const band =
    pts.map((b, i) => `${i ? 'L' : 'M'}${sx(b.ts).toFixed(1)},${sy(b.max ?? (b.avg as number)).toFixed(1)}`).join('') +
    [...pts]
      .reverse()
      .map((b) => `L${sx(b.ts).toFixed(1)},${sy(b.min ?? (b.avg as number)).toFixed(1)}`)
      .join('') +
    'Z';
  const ticks = 5;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="测点读数曲线" data-testid="readings-chart">
      {Array.from({ length: ticks + 1 }, (_, i) => {
        const v = y0 + ((y1 - y0) * i) / ticks;
        return (
          <g key={`y${i}`}>
            <line x1={pad.l} x2={W - pad.r} y1={sy(v)} y2={sy(v)} class="grid" />
            <text x={pad.l - 6} y={sy(v) + 4} class="axis" text-anchor="end">
              {v.toFixed(span < 10 ? 1 : 0)}
            </text>
          </g>
        );
      })}
      {Array.from({ length: 5 }, (_, i) => {
        const t = x0 + ((x1 - x0) * i) / 4;
        return (
          <text key={`x${i}`} x={sx(t)} y={H - 8} class="axis" text-anchor="middle">
            {x1 - x0 < 15 * 60_000 ? formatClockSeconds(t) : formatClock(t)}
          </text>
        );
      })}
      <path d={band} class="band" />
      <path d={avgPath} class="line" />
      {props.limits.map((l) => (
        <g key={l.label} data-testid={`limit-${l.label}`}>
          <line x1={pad.l} x2={W - pad.r} y1={sy(l.value)} y2={sy(l.value)} class={`limit ${l.tone}`} />
          <text x={W - pad.r + 4} y={sy(l.value) + 4} class={`limit-label ${l.tone}`}>
            {l.label} {l.value}
          </text>
        </g>
      ))}
      {props.markerAt !== undefined && (
        <g>
          <line x1={sx(props.markerAt)} x2={sx(props.markerAt)} y1={pad.t} y2={H - pad.b} class="marker" />
          <title>报警产生 {formatDateTime(props.markerAt)}</title>
        </g>
      )}
      <text x={4} y={pad.t + 4} class="axis">
        {props.unit}
      </text>
    </svg>
  );
}
