// A bar chart of local share against the target, drawn as SVG (no library: the bars are the
// report's own numbers, with a table of the same numbers beside it for screen readers).
// bars: [{label, share: "25.0%", target: "0.3"}]. Drawn from the API's strings; floats are for
// drawing only, never for a decision.
export function ShareChart({ t, bars, id }) {
  const rowH = 28, labelW = 260, plotW = 420, pad = 8;
  const h = bars.length * rowH + 30;
  const x = (pct) => labelW + (Math.max(0, Math.min(100, pct)) / 100) * plotW;
  return (
    <figure class="chart" id={id}>
      <figcaption>{t.chartTitle}</figcaption>
      <svg viewBox={`0 0 ${labelW + plotW + 70} ${h}`} role="img" aria-labelledby={id + '-desc'}
        width={labelW + plotW + 70} height={h}>
        <desc id={id + '-desc'}>
          {bars.map((b) => `${b.label}: ${t.chartShare} ${b.share}, ${t.chartTarget} ${pct(b.target)}%`).join('; ')}
        </desc>
        {[0, 25, 50, 75, 100].map((g) => (
          <g key={g}>
            <line x1={x(g)} x2={x(g)} y1={0} y2={h - 24} class="grid" />
            <text x={x(g)} y={h - 8} text-anchor="middle" class="axis">{g}%</text>
          </g>
        ))}
        {bars.map((b, i) => {
          const y = i * rowH + pad;
          const share = parseFloat(b.share);
          const target = pct(b.target);
          const met = share >= target;
          return (
            <g key={b.label} class="bar" data-label={b.label} data-share={b.share} data-target={target}>
              <text x={labelW - 8} y={y + 14} text-anchor="end" class="label">{b.label}</text>
              <rect x={labelW} y={y} width={x(share) - labelW} height={rowH - 10} class={met ? 'met' : 'short'} />
              <line x1={x(target)} x2={x(target)} y1={y - 3} y2={y + rowH - 7} class="target" />
              <text x={x(share) + 4} y={y + 14} class="value">{b.share}</text>
            </g>
          );
        })}
      </svg>
      <p class="legend"><span class="key met" /> {t.chartShare} <span class="key target" /> {t.chartTarget}</p>
    </figure>
  );
}

// "0.3" → 30 (the ratio as a percentage, for drawing).
function pct(ratio) {
  return ratio === undefined || ratio === null ? 0 : Math.round(parseFloat(ratio) * 1000) / 10;
}
