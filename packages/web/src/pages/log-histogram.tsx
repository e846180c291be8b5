const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
const COLORS: Record<string, string> = {
  debug: '#6b7280',
  info: '#2563eb',
  warn: '#d97706',
  error: '#dc2626',
  fatal: '#7f1d1d',
};

interface Bucket {
  start: string;
  counts: Record<string, number>;
}

/**
 * Log records per level over time as stacked bars across the whole searched window (the API
 * sends only buckets with records), with the totals per level as text.
 */
export function LogHistogram({
  buckets,
  bucketMs,
  from,
  to,
}: {
  buckets: Bucket[];
  bucketMs: number;
  from: number;
  to: number;
}) {
  const first = Math.floor(from / bucketMs) * bucketMs;
  const slots = Math.min(500, Math.max(1, Math.ceil((to - first) / bucketMs)));
  const slot = (b: Bucket) =>
    Math.min(slots - 1, Math.max(0, Math.floor((Date.parse(b.start) - first) / bucketMs)));
  const totals = Object.fromEntries(
    LEVELS.map((l) => [l, buckets.reduce((n, b) => n + (b.counts[l] ?? 0), 0)]),
  );
  const max = Math.max(1, ...buckets.map((b) => LEVELS.reduce((n, l) => n + (b.counts[l] ?? 0), 0)));
  const width = slots * 10;
  const summary = LEVELS.filter((l) => totals[l])
    .map((l) => `${l} ${totals[l]}`)
    .join(', ');
  return (
    <figure class="histogram" data-testid="log-histogram">
      <svg
        viewBox={`0 0 ${width} 60`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Log records per level over time: ${summary || 'none'}`}
      >
        {buckets.map((b) => {
          const i = slot(b);
          let y = 60;
          return LEVELS.map((l) => {
            const h = ((b.counts[l] ?? 0) / max) * 58;
            if (!h) return null;
            y -= h;
            return (
              <rect key={`${b.start}${l}`} x={i * 10 + 1} y={y} width={8} height={h} fill={COLORS[l]}>
                <title>{`${b.start} ${l}: ${b.counts[l]}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <div class="histogram-axis">
        <small>{new Date(from).toLocaleString()}</small>
        <small>{new Date(to).toLocaleString()}</small>
      </div>
      <figcaption>
        {LEVELS.map((l) => (
          <span key={l} class="legend" data-level={l}>
            <span class="swatch" style={{ background: COLORS[l] }} /> {l} {totals[l]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
