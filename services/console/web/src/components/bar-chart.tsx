/** Horizontal bars of rates 0–1 (接入率 / 在线率 per region), two series side by side. */
export function RateBars(props: {
  rows: { label: string; a: number | null; b: number | null }[];
  aLabel: string;
  bLabel: string;
}) {
  const rowH = 34;
  const W = 760;
  const left = 120;
  const width = W - left - 60;
  const H = props.rows.length * rowH + 30;
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  return (
    <svg class="chart bars" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.aLabel}与${props.bLabel}`}>
      <rect x={left} y={4} width={10} height={10} class="bar-a" />
      <text x={left + 14} y={13} class="axis">
        {props.aLabel}
      </text>
      <rect x={left + 90} y={4} width={10} height={10} class="bar-b" />
      <text x={left + 104} y={13} class="axis">
        {props.bLabel}
      </text>
      {props.rows.map((r, i) => {
        const y = 24 + i * rowH;
        return (
          <g key={r.label}>
            <text x={left - 8} y={y + 18} class="axis" text-anchor="end">
              {r.label}
            </text>
            <rect x={left} y={y + 2} width={(r.a ?? 0) * width} height={12} class="bar-a" />
            <text x={left + (r.a ?? 0) * width + 4} y={y + 12} class="axis">
              {pct(r.a)}
            </text>
            <rect x={left} y={y + 16} width={(r.b ?? 0) * width} height={12} class="bar-b" />
            <text x={left + (r.b ?? 0) * width + 4} y={y + 26} class="axis">
              {pct(r.b)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
