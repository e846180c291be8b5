import type { Slo } from '@vigil/core/slo';
import { insight } from '../insight/context';
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

export const insightSeeds: Seed[] = [
  {
    name: 'default-slos',
    run: async () => {
      const repo = insight().slos;
      for (const slo of DEFAULT_SLOS)
        if (!(await repo.get(slo.id))) await repo.create(slo).catch(() => undefined);
    },
  },
];
