import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/net';
import { startTestRuntime } from '../support/runtime';

/**
 * Parity with a real Prometheus (Debian's 2.42): the same samples are loaded into both (into
 * Prometheus as TSDB blocks built by promtool), and each query must give the same label sets
 * and values within 1e-9 relative.
 */
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';

interface Series {
  name: string;
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

/** Deterministic pseudo-random numbers, so both systems see the same data every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function dataset(base: number): Series[] {
  const rnd = random(42);
  const out: Series[] = [];
  const step = 15_000;
  const points = 240; // one hour
  for (const service of ['api', 'web']) {
    for (const instance of ['a', 'b']) {
      for (const status of ['200', '500']) {
        let v = Math.floor(rnd() * 100);
        const samples: Array<[number, number]> = [];
        for (let i = 0; i < points; i++) {
          if (service === 'web' && instance === 'b' && status === '200' && i === 120)
            v = 3; // a counter reset
          else v += Math.floor(rnd() * (status === '200' ? 20 : 3));
          samples.push([base + i * step + Math.floor(rnd() * 900), v]);
        }
        out.push({ name: 'http_requests_total', labels: { service, instance, status }, samples });
      }
      let mem = 500 + rnd() * 100;
      out.push({
        name: 'memory_usage_bytes',
        labels: { service, instance },
        samples: Array.from({ length: points }, (_, i) => {
          mem += rnd() * 10 - 5;
          return [base + i * step, Math.round(mem * 1000) / 1000] as [number, number];
        }),
      });
    }
    const bounds = ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
    const counts = bounds.map(() => 0);
    const bucketSeries = bounds.map((le) => ({
      name: 'request_duration_seconds_bucket',
      labels: { service, le },
      samples: [] as Array<[number, number]>,
    }));
    const sum = {
      name: 'request_duration_seconds_sum',
      labels: { service },
      samples: [] as Array<[number, number]>,
    };
    let total = 0;
    for (let i = 0; i < points; i++) {
      for (let k = 0; k < 10; k++) {
        const d = rnd() ** 2 * 3;
        total += d;
        bounds.forEach((le, j) => {
          if (le === '+Inf' || d <= Number(le)) counts[j]++;
        });
      }
      const t = base + i * step;
      bucketSeries.forEach((s, j) => {
        s.samples.push([t, counts[j]]);
      });
      sum.samples.push([t, Math.round(total * 1e6) / 1e6]);
    }
    out.push(...bucketSeries, sum);
  }
  // A gauge with a 10-minute gap, so lookback and absent() are exercised.
  out.push({
    name: 'room_temperature_celsius',
    labels: { room: 'lab' },
    samples: Array.from(
      { length: points },
      (_, i) => [base + i * step, 20 + Math.sin(i / 10)] as [number, number],
    ).filter((_, i) => i < 100 || i > 140),
  });
  return out;
}

function openMetrics(series: Series[]): string {
  const lines: string[] = [];
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [name, list] of byName) {
    lines.push(`# TYPE ${name} unknown`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      for (const [t, v] of s.samples) lines.push(`${name}{${labels}} ${v} ${(t / 1000).toFixed(3)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

const DATASET =
  '{__name__=~"http_requests_total|memory_usage_bytes|request_duration_seconds_.*|room_temperature_celsius"}';

const QUERIES = [
  'http_requests_total',
  'http_requests_total{service="api"}',
  'http_requests_total{status!="200"}',
  'http_requests_total{service=~"a.*",status=~"5.."}',
  'http_requests_total{instance!~"a"}',
  'http_requests_total offset 5m',
  'rate(http_requests_total[5m])',
  'rate(http_requests_total[1m])',
  'irate(http_requests_total[5m])',
  'increase(http_requests_total[10m])',
  'delta(memory_usage_bytes[10m])',
  'avg_over_time(memory_usage_bytes[5m])',
  'sum_over_time(memory_usage_bytes[5m])',
  'min_over_time(memory_usage_bytes[10m])',
  'max_over_time(memory_usage_bytes[10m])',
  'count_over_time(memory_usage_bytes[5m])',
  'quantile_over_time(0.9, memory_usage_bytes[10m])',
  'last_over_time(memory_usage_bytes[5m])',
  'sum(rate(http_requests_total[5m]))',
  'sum by (service) (rate(http_requests_total[5m]))',
  'sum without (instance, status) (http_requests_total)',
  'avg by (service) (memory_usage_bytes)',
  'min by (instance) (memory_usage_bytes)',
  'max(memory_usage_bytes)',
  'count by (status) (http_requests_total)',
  'topk(2, memory_usage_bytes)',
  'bottomk(1, rate(http_requests_total[5m]))',
  'quantile(0.5, memory_usage_bytes)',
  'histogram_quantile(0.95, rate(request_duration_seconds_bucket[5m]))',
  'histogram_quantile(0.5, sum by (le) (rate(request_duration_seconds_bucket[5m])))',
  'rate(request_duration_seconds_sum[5m]) / on(service) rate(request_duration_seconds_bucket{le="+Inf"}[5m])',
  'sum by (service) (rate(http_requests_total{status="500"}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
  'memory_usage_bytes * 2 + 1',
  'memory_usage_bytes > 520',
  'memory_usage_bytes > bool 520',
  'rate(http_requests_total{status="500"}[5m]) / ignoring(status) rate(http_requests_total{status="200"}[5m])',
  'abs(delta(memory_usage_bytes[5m]))',
  'ceil(memory_usage_bytes)',
  'floor(memory_usage_bytes)',
  'round(memory_usage_bytes, 5)',
  'clamp_min(memory_usage_bytes, 520)',
  'clamp_max(memory_usage_bytes, 520)',
  'time()',
  'vector(1)',
  'scalar(sum(memory_usage_bytes))',
  'absent(room_temperature_celsius{room="lab"})',
  'absent(nonexistent_metric{job="x"})',
  'room_temperature_celsius',
  '-memory_usage_bytes',
  'memory_usage_bytes % 7',
  'sum(http_requests_total) by (service) > bool 1000',
  'max_over_time(rate(http_requests_total[1m])[10m:1m])',
];

// biome-ignore lint/suspicious/noExplicitAny: Prometheus answers are compared shape by shape
type PromResult = { resultType: string; result: any };

function normalise(data: PromResult): Array<{ key: string; points: Array<[number, string]> }> {
  if (data.resultType === 'scalar') return [{ key: '{}', points: [[data.result[0], data.result[1]]] }];
  return (
    data.result as Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>
  )
    .map((r) => ({ key: JSON.stringify(Object.entries(r.metric).sort()), points: r.values ?? [r.value!] }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function close(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return true;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

describe('PromQL parity with a real Prometheus', () => {
  let prom: ChildProcess | undefined;
  let promUrl: string;
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let dir: string;
  const base = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000;
  const times = [
    base + 30 * 60_000,
    base + 45 * 60_000 + 7_000,
    base + 59 * 60_000,
    base + 33 * 60_000 + 500,
  ];

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS) || !existsSync(PROMTOOL))
      throw new Error(
        `this suite needs Debian's prometheus and promtool (${PROMETHEUS}, ${PROMTOOL}): apt-get install prometheus`,
      );
    dir = mkdtempSync(join(tmpdir(), 'vigil-parity-'));
    const data = dataset(base);
    writeFileSync(join(dir, 'data.om'), openMetrics(data));
    execFileSync(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'tsdb')],
      { stdio: 'ignore' },
    );
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=10y',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(async () => (await fetch(`${promUrl}/-/ready`)).ok, 30_000);

    rt = await startTestRuntime();
    for (let i = 0; i < data.length; i += 20) {
      const res = await rt.api('POST', '/api/v1/metrics', { series: data.slice(i, i + 20) });
      expect(res.status).toBe(200);
    }
  }, 90_000);

  afterAll(async () => {
    prom?.kill('SIGTERM');
    await rt?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function both(path: string, params: Record<string, string>) {
    const qs = new URLSearchParams(params).toString();
    const theirs = await (await fetch(`${promUrl}${path}?${qs}`)).json();
    const ours = (await rt.api('GET', `${path}?${qs}`)).body;
    return { theirs, ours };
  }

  // biome-ignore lint/suspicious/noExplicitAny: both sides are raw Prometheus API answers
  function compare(theirs: any, ours: any, what: string) {
    expect(ours.status, `${what}: ${JSON.stringify(ours).slice(0, 300)}`).toBe(theirs.status);
    if (theirs.status !== 'success') return;
    expect(ours.data.resultType, what).toBe(theirs.data.resultType);
    const a = normalise(theirs.data);
    const b = normalise(ours.data);
    expect(
      b.map((s) => s.key),
      `${what}: label sets`,
    ).toEqual(a.map((s) => s.key));
    a.forEach((series, i) => {
      expect(b[i].points.length, `${what}: points of ${series.key}`).toBe(series.points.length);
      series.points.forEach(([t, v], j) => {
        expect(b[i].points[j][0], `${what}: time`).toBeCloseTo(t, 3);
        expect(
          close(b[i].points[j][1], v),
          `${what}: ${series.key} at ${t}: ours ${b[i].points[j][1]} theirs ${v}`,
        ).toBe(true);
      });
    });
  }

  it.each(QUERIES)('instant %s', async (query) => {
    for (const time of times) {
      const { theirs, ours } = await both('/api/v1/query', { query, time: String(time / 1000) });
      compare(theirs, ours, `${query} @ ${time}`);
    }
  });

  it.each(QUERIES.filter((q) => !q.includes('[10m:1m]')))('range %s', async (query) => {
    const { theirs, ours } = await both('/api/v1/query_range', {
      query,
      start: String((base + 10 * 60_000) / 1000),
      end: String((base + 60 * 60_000) / 1000),
      step: '37',
    });
    compare(theirs, ours, `${query} range`);
  });

  it('answers series, labels and label values as Prometheus does', async () => {
    for (const [path, params] of [
      [
        '/api/v1/series',
        {
          'match[]': 'http_requests_total{service="api"}',
          start: String(base / 1000),
          end: String((base + 3_600_000) / 1000),
        },
      ],
      // Vigil also stores its own request metrics, so both sides are limited to the loaded data.
      ['/api/v1/label/service/values', { 'match[]': DATASET }],
      ['/api/v1/labels', { 'match[]': DATASET }],
    ] as const) {
      const { theirs, ours } = await both(path, params);
      const sort = (x: unknown[]) =>
        x.map((v) => JSON.stringify(typeof v === 'object' ? Object.entries(v as object).sort() : v)).sort();
      expect(sort(ours.data), path).toEqual(sort(theirs.data));
    }
  });

  it('reports syntax errors with the position, like Prometheus', async () => {
    const { theirs, ours } = await both('/api/v1/query', { query: 'sum(rate(http_requests_total[5m])' });
    expect(theirs.status).toBe('error');
    expect(ours.status).toBe('error');
    expect(ours.errorType).toBe('bad_data');
    expect(ours.error).toMatch(/parse error/);
  });
});
