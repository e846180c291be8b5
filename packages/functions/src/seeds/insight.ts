import type { Slo } from '@vigil/core/slo';
import { type Benchmark, insight } from '../insight/context';
import type { Seed } from '../platform/seeds';

/** The SLOs every deployment starts with: Vigil measuring itself from its own request metrics. */
export const DEFAULT_SLOS: Array<Omit<Slo, 'version'>> = [
  {
    id: 'vigil-uptime',
    name: 'Vigil uptime',
    service: 'vigil',
    kind: 'availability',
    good: 'sum(increase(vigil_http_requests_total{route=~"GET /health/.*",status="200"}[$window]))',
    total: 'sum(increase(vigil_http_requests_total{route=~"GET /health/.*"}[$window]))',
    target: 0.995,
    windowDays: 28,
    description: '99.5 % of health checks succeed',
  },
  {
    id: 'vigil-latency-p95',
    name: 'Vigil API p95 latency < 500 ms',
    service: 'vigil',
    kind: 'latency',
    good: 'sum(increase(vigil_http_request_duration_seconds_bucket{le="0.5"}[$window]))',
    total: 'sum(increase(vigil_http_request_duration_seconds_count[$window]))',
    target: 0.95,
    windowDays: 28,
    description: '95 % of API requests complete within 500 ms',
  },
  {
    id: 'vigil-errors',
    name: 'Vigil API errors < 0.5 %',
    service: 'vigil',
    kind: 'error-rate',
    good: 'sum(increase(vigil_http_requests_total{status!~"5.."}[$window]))',
    total: 'sum(increase(vigil_http_requests_total[$window]))',
    target: 0.995,
    windowDays: 28,
    description: 'Fewer than 0.5 % of API requests fail with a server error',
  },
];

/**
 * The benchmarks every deployment starts with. API latency and success rate measure Vigil
 * itself; DB query time and memory read the conventional metric names of the services it
 * watches and rate `no_data` until those exist.
 */
export const DEFAULT_BENCHMARKS: Array<Omit<Benchmark, 'version'>> = [
  {
    id: 'api-latency',
    name: 'API latency (p95)',
    query: 'histogram_quantile(0.95, sum by (le) (rate(vigil_http_request_duration_seconds_bucket[1h])))',
    unit: 's',
    baseline: 0.5,
    target: 0.2,
    better: 'lower',
    description: 'p95 of Vigil API requests over the last hour: 500 ms is acceptable, 200 ms the goal',
  },
  {
    id: 'db-query-time',
    name: 'Database query time (p95)',
    query: 'histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket[1h])))',
    unit: 's',
    baseline: 0.1,
    target: 0.05,
    better: 'lower',
    description: 'p95 database query time over the last hour: 100 ms is acceptable, 50 ms the goal',
  },
  {
    id: 'success-rate',
    name: 'Success rate',
    query:
      'sum(rate(vigil_http_requests_total{status!~"5.."}[1h])) / sum(rate(vigil_http_requests_total[1h]))',
    unit: 'ratio',
    baseline: 0.99,
    target: 0.999,
    better: 'higher',
    description: 'Share of Vigil API requests without a server error over the last hour',
  },
  {
    id: 'memory',
    name: 'Memory usage',
    query: 'max(memory_usage_ratio)',
    unit: 'ratio',
    baseline: 0.8,
    target: 0.6,
    better: 'lower',
    description: 'Highest memory usage ratio of any instance: 80 % is acceptable, 60 % the goal',
  },
];

export const insightSeeds: Seed[] = [
  {
    name: 'default-slos',
    run: async () => {
      const repo = insight().slos;
      for (const slo of DEFAULT_SLOS)
        if (!(await repo.get(slo.id))) await repo.create(slo).catch(() => undefined);
    },
  },
  {
    name: 'default-benchmarks',
    run: async () => {
      const repo = insight().benchmarks;
      for (const benchmark of DEFAULT_BENCHMARKS)
        if (!(await repo.get(benchmark.id))) await repo.create(benchmark).catch(() => undefined);
    },
  },
];
