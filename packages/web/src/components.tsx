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
}: {
  series: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || !series.length) return;
    const times = [...new Set(series.flatMap((s) => s.values.map((v) => v[0])))].sort((a, b) => a - b);
    const data: uPlot.AlignedData = [
      times,
      ...series.map((s) => {
        const byTime = new Map(s.values.map(([t, v]) => [t, Number(v)]));
        return times.map((t) => byTime.get(t) ?? null);
      }),
    ] as uPlot.AlignedData;
    const palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];
    const plot = new uPlot(
      {
        width: el.current.clientWidth || 600,
        height: 260,
        series: [
          {},
          ...series.map((s, i) => ({
            label:
              Object.entries(s.metric)
                .map(([k, v]) => `${k}=${v}`)
                .join(',') || 'value',
            stroke: palette[i % palette.length],
            width: 2,
          })),
        ],
        axes: [{}, {}],
      },
      data,
      el.current,
    );
    return () => plot.destroy();
  }, [series]);
  return (
    <div
      class="chart"
      ref={el}
      data-testid="chart"
      data-points={series.reduce((n, s) => n + s.values.length, 0)}
    />
  );
}
