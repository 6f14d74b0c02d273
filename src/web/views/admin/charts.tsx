/**
 * Charts drawn on the server as inline SVG: no script, no library, and only SVG presentation attributes
 * (fill, width, height…), which the CSP's `style-src 'self'` does not concern. Each chart is an image with a
 * text alternative; the same numbers are always in a table next to it.
 */
const BLUE_FRANCE = '#000091';
const GREY = '#666666';

export interface ChartItem {
  label: string;
  value: number;
}

/** Horizontal bars, one per item: good for categories (codes, statuses, systems). */
export function BarChart(props: { id: string; title: string; items: readonly ChartItem[] }) {
  const max = Math.max(1, ...props.items.map((i) => i.value));
  const rowHeight = 28;
  const labelWidth = 220;
  const barWidth = 360;
  const height = Math.max(1, props.items.length) * rowHeight + 8;
  const summary = props.items.map((i) => `${i.label} : ${i.value}`).join(', ') || 'aucune donnée';
  return (
    <figure class="fr-my-2w" data-chart="bar">
      <svg role="img" aria-labelledby={`${props.id}-titre`} viewBox={`0 0 ${labelWidth + barWidth + 60} ${height}`} width="100%" height={height} xmlns="http://www.w3.org/2000/svg">
        <title id={`${props.id}-titre`}>{`${props.title} — ${summary}`}</title>
        {props.items.length === 0 ? (
          <text x="0" y="20" fill={GREY} font-size="14">
            Aucune donnée sur la période.
          </text>
        ) : (
          props.items.map((item, index) => {
            const y = index * rowHeight + 4;
            const width = Math.round((item.value / max) * barWidth);
            return (
              <g>
                <text x={labelWidth - 8} y={y + 18} text-anchor="end" font-size="13" fill="#161616">
                  {item.label.length > 30 ? `${item.label.slice(0, 29)}…` : item.label}
                </text>
                <rect x={labelWidth} y={y + 4} width={Math.max(width, item.value > 0 ? 2 : 0)} height={rowHeight - 10} fill={BLUE_FRANCE} />
                <text x={labelWidth + width + 6} y={y + 18} font-size="13" fill="#161616">
                  {String(item.value)}
                </text>
              </g>
            );
          })
        )}
      </svg>
      <figcaption class="fr-text--sm">{props.title}</figcaption>
    </figure>
  );
}

/** Columns over time (one per day). */
export function ColumnChart(props: { id: string; title: string; items: readonly ChartItem[] }) {
  const max = Math.max(1, ...props.items.map((i) => i.value));
  const height = 180;
  const plot = 140;
  const columnWidth = Math.max(4, Math.min(24, Math.floor(720 / Math.max(1, props.items.length))));
  const width = Math.max(200, props.items.length * columnWidth + 40);
  const total = props.items.reduce((sum, i) => sum + i.value, 0);
  const first = props.items[0]?.label ?? '';
  const last = props.items.at(-1)?.label ?? '';
  return (
    <figure class="fr-my-2w" data-chart="columns">
      <svg role="img" aria-labelledby={`${props.id}-titre`} viewBox={`0 0 ${width} ${height}`} width="100%" height={height} xmlns="http://www.w3.org/2000/svg">
        <title id={`${props.id}-titre`}>{`${props.title} — ${total} au total${first ? `, du ${first} au ${last}` : ''}, au plus ${max} par jour`}</title>
        <line x1="30" y1={plot + 2} x2={width} y2={plot + 2} stroke={GREY} stroke-width="1" />
        <text x="0" y="12" font-size="11" fill={GREY}>
          {String(max)}
        </text>
        {props.items.map((item, index) => {
          const h = Math.round((item.value / max) * (plot - 10));
          return <rect x={32 + index * columnWidth} y={plot + 2 - h} width={columnWidth - 2} height={h} fill={BLUE_FRANCE} />;
        })}
        <text x="32" y={plot + 20} font-size="11" fill={GREY}>
          {first}
        </text>
        <text x={width - 2} y={plot + 20} font-size="11" fill={GREY} text-anchor="end">
          {last}
        </text>
      </svg>
      <figcaption class="fr-text--sm">{props.title}</figcaption>
    </figure>
  );
}
