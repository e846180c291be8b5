/** Synthetic and NAB data for the metrics benchmark. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesInput } from '@vigil/core/events';

/** A deterministic PRNG, so every run measures the same data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * node_exporter-like series scraped every 15 s: CPU-seconds counters with two decimals, byte
 * gauges that change now and then, small integer gauges and a constant, over `scrapes` scrapes.
 * Returns one request (one scrape of every series) per element, as remote-write sends them.
 */
export function nodeExporterScrapes(series: number, scrapes: number, start: number): SeriesInput[][] {
  const random = rng(42);
  const state = Array.from({ length: series }, (_, i) => ({
    kind: i % 4,
    value: i % 4 === 0 ? Math.round(random() * 1e6) / 100 : Math.round(random() * 8e9),
    labels: { instance: `host-${Math.floor(i / 40)}:9100`, job: 'node', cpu: String(i % 40) },
  }));
  const out: SeriesInput[][] = [];
  for (let k = 0; k < scrapes; k++) {
    const t = start + k * 15_000 + (random() < 0.05 ? 1 : 0);
    out.push(
      state.map((s) => {
        if (s.kind === 0) s.value = Math.round((s.value + random() * 15) * 100) / 100;
        else if (s.kind === 1 && random() < 0.2) s.value += Math.round((random() - 0.5) * 1e6) * 4096;
        else if (s.kind === 2) s.value = Math.floor(random() * 4);
        const name = ['node_cpu_seconds_total', 'node_memory_bytes', 'node_procs_running', 'node_info'][
          s.kind
        ];
        return { name, labels: s.labels, samples: [[t, s.kind === 3 ? 1 : s.value]] };
      }),
    );
  }
  return out;
}

/** Every NAB CSV as one series (timestamps read as UTC). */
export function nabSeries(dir = '/work/shared/datasets/nab/data'): SeriesInput[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.csv')) files.push(p);
    }
  };
  walk(dir);
  return files.sort().map((file, i) => {
    const samples: Array<[number, number]> = [];
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [ts, value] = line.split(',');
      if (!ts || value === undefined) continue;
      samples.push([Date.parse(`${ts.replace(' ', 'T')}Z`), Number(value)]);
    }
    samples.sort((a, b) => a[0] - b[0]);
    return { name: 'nab_value', labels: { file: String(i) }, samples };
  });
}

/** An OTLP/HTTP JSON export of `points` gauge points (one per series), as the SDK sends it. */
export function otlpPayload(points: number, at: number): string {
  const random = rng(7);
  const dataPoints = (n: number, offset: number) =>
    Array.from({ length: n }, (_, i) => ({
      attributes: [
        { key: 'host', value: { stringValue: `host-${(offset + i) % 50}` } },
        { key: 'slot', value: { intValue: String(offset + i) } },
      ],
      timeUnixNano: `${at}000000`,
      asDouble: Math.round(random() * 1e6) / 100,
    }));
  const per = Math.ceil(points / 10);
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'bench' } },
            { key: 'service.instance.id', value: { stringValue: 'pod-1' } },
          ],
        },
        scopeMetrics: [
          {
            scope: { name: 'bench' },
            metrics: Array.from({ length: 10 }, (_, m) => ({
              name: `bench.metric.${m}`,
              gauge: { dataPoints: dataPoints(per, m * per) },
            })),
          },
        ],
      },
    ],
  });
}
