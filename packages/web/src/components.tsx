import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function ErrorNote({ error }: { error?: string }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Card({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Badge({ value }: { value: string }) {
  return <span class={`badge badge-${value.toLowerCase()}`}>{value}</span>;
}

export const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** A uPlot time-series chart of Prometheus matrix results. */
export function Chart({
  series,
  label = (metric) =>
    Object.entries(metric)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || 'value',
  title = 'Chart of the query result',
}: {
  series: Array<{ metric: Record<string, string>; values: Array<[number, string | number | null]> }>;
  label?: (metric: Record<string, string>) => string;
  title?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || !series.length) return;
    const times = [...new Set(series.flatMap((s) => s.values.map((v) => v[0])))].sort((a, b) => a - b);
    const data: uPlot.AlignedData = [
      times,
      ...series.map((s) => {
        const byTime = new Map(s.values.map(([t, v]) => [t, v === null ? null : Number(v)]));
        return times.map((t) => byTime.get(t) ?? null);
      }),
    ] as uPlot.AlignedData;
    // Axes and lines follow the page's colours, so the chart stays readable in dark mode.
    const style = getComputedStyle(el.current);
    const ink = style.color;
    const grid = style.getPropertyValue('--line').trim() || '#d1d5db';
    const palette = matchMedia('(prefers-color-scheme: dark)').matches
      ? ['#93c5fd', '#fca5a5', '#86efac', '#fcd34d', '#c4b5fd', '#67e8f9']
      : ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: el.current.clientWidth || 600,
        height: 260,
        series: [
          {},
          ...series.map((s, i) => ({
            label: label(s.metric),
            stroke: palette[i % palette.length],
            width: 2,
          })),
        ],
        axes: [axis, axis],
      },
      data,
      el.current,
    );
    return () => plot.destroy();
  }, [series]);
  return (
    <div
      class="chart"
      role="img"
      aria-label={title}
      ref={el}
      data-testid="chart"
      data-points={series.reduce((n, s) => n + s.values.length, 0)}
    />
  );
}

/** A bar showing how much of a whole is left, e.g. an SLO's error budget. */
export function Meter({ label, fraction }: { label: string; fraction: number }) {
  const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
  return (
    <meter class="meter" aria-label={label} min={0} max={100} low={25} high={50} optimum={100} value={pct}>
      {pct} %
    </meter>
  );
}

export const percent = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)} %`;

/** An SLO with its live status, as `/api/v1/status` lists it. */
export interface SloView {
  id: string;
  name: string;
  target: number;
  windowDays: number;
  state: string;
  sli: number | null;
  budgetRemaining: number | null;
  burnRate: number | null;
  error?: string;
}

/** SLO cards: state, SLI against target, and the error budget left as a bar. */
export function SloList({ slos }: { slos: SloView[] }) {
  if (!slos.length) return <p>No SLOs defined yet (POST /api/v1/slos).</p>;
  return (
    <ul class="slos">
      {slos.map((s) => (
        <li key={s.id} data-slo={s.id}>
          <div class="row">
            <strong>{s.name}</strong> <Badge value={s.state} />
          </div>
          <small>
            SLI {percent(s.sli, 3)} · target {percent(s.target)} · {s.windowDays} days
            {s.burnRate !== null && ` · burn ${s.burnRate.toFixed(2)}×`}
          </small>
          {s.budgetRemaining !== null && (
            <>
              <Meter label={`Error budget left for ${s.name}`} fraction={s.budgetRemaining} />
              <small>budget left {percent(s.budgetRemaining, 0)}</small>
            </>
          )}
          {s.error && <p class="error">{s.error}</p>}
        </li>
      ))}
    </ul>
  );
}

/** Horizontal bars of counts, readable as a list by screen readers. */
export function Bars({ values, label }: { values: Record<string, number>; label: string }) {
  const max = Math.max(1, ...Object.values(values));
  return (
    <ul class="bars" aria-label={label}>
      {Object.entries(values).map(([k, v]) => (
        <li key={k}>
          <span class="bar-key">{k}</span>
          <span class={`bar-fill badge-${k.toLowerCase()}`} style={{ width: `${(v / max) * 70}%` }} />
          <span class="bar-value">{v}</span>
        </li>
      ))}
    </ul>
  );
}
