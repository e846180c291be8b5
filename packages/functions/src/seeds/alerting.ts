import type { Rule } from '@vigil/core/alerting';
import { alerting } from '../alerting/context';
import type { Seed } from '../platform/seeds';

type DefaultRule = Pick<Rule, 'name' | 'expr' | 'for' | 'severity' | 'annotations'> & { runbook: string };

/**
 * The default rules (DESIGN.md §6). They ship enabled but stay inactive and silent until the
 * metrics they read exist, since an expression over absent series returns nothing.
 */
export const DEFAULT_RULES: DefaultRule[] = [
  {
    name: 'HighErrorRate',
    expr: 'sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) > 0.10',
    for: '5m',
    severity: 'critical',
    runbook: 'high-error-rate',
    annotations: { summary: 'Error rate of {{ $labels.service }} is {{ humanize $value }} (> 10 %)' },
  },
  {
    name: 'LowSuccessRate',
    expr: 'sum by (service) (rate(http_requests_total{status=~"2.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) < 0.80',
    for: '5m',
    severity: 'high',
    runbook: 'high-error-rate',
    annotations: { summary: 'Success rate of {{ $labels.service }} is {{ humanize $value }} (< 80 %)' },
  },
  {
    name: 'HighMemoryUsage',
    expr: 'memory_usage_ratio > 0.90',
    for: '10m',
    severity: 'high',
    runbook: 'memory',
    annotations: {
      summary: 'Memory of {{ $labels.service }} {{ $labels.instance }} at {{ humanize $value }}',
    },
  },
  {
    name: 'DiskAlmostFull',
    expr: 'disk_usage_ratio > 0.90',
    for: '10m',
    severity: 'high',
    runbook: 'disk',
    annotations: { summary: 'Disk {{ $labels.device }} on {{ $labels.instance }} at {{ humanize $value }}' },
  },
  {
    name: 'HighLatencyP95',
    expr: 'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
    for: '10m',
    severity: 'medium',
    runbook: 'performance-degradation',
    annotations: { summary: 'p95 latency of {{ $labels.service }} is {{ $value }} s (> 1 s)' },
  },
  {
    name: 'DatabaseConnectionFailures',
    expr: 'sum by (service) (increase(db_connection_errors_total[5m])) > 0',
    for: '2m',
    severity: 'critical',
    runbook: 'database-issues',
    annotations: { summary: '{{ $labels.service }} cannot reach its database ({{ $value }} failures in 5m)' },
  },
  {
    name: 'NoRecentData',
    expr: 'time() - max by (service) (timestamp(up)) > 86400',
    for: '0s',
    severity: 'medium',
    runbook: 'workers',
    annotations: { summary: 'No data from {{ $labels.service }} for more than 24 h' },
  },
  {
    name: 'CircuitBreakerOpen',
    expr: 'max by (service, dependency) (circuit_breaker_open) > 0',
    for: '1m',
    severity: 'high',
    runbook: 'cache',
    annotations: { summary: 'Circuit breaker to {{ $labels.dependency }} is open in {{ $labels.service }}' },
  },
  {
    name: 'SlowQueries',
    expr: 'sum by (service) (increase(db_slow_queries_total[5m])) > 10',
    for: '5m',
    severity: 'medium',
    runbook: 'database-issues',
    annotations: { summary: '{{ $labels.service }} ran {{ $value }} slow queries in 5 minutes' },
  },
];

/** Default rules and the email receiver, created once; user edits are never overwritten. */
export const alertingSeeds: Seed[] = [
  {
    name: 'default-rules',
    run: async (p) => {
      const repos = alerting();
      const now = p.clock.now();
      const at = new Date(now).toISOString();
      for (const r of DEFAULT_RULES) {
        const id = `default-${r.name.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`;
        if (await repos.rules.get(id)) continue;
        await repos.rules
          .create({
            id,
            ...r,
            keepFiringFor: '0s',
            labels: {},
            enabled: true,
            runbook: `/runbooks/${r.runbook}`,
            createdAt: at,
            updatedAt: at,
          })
          .catch(() => undefined);
      }
      if (!(await repos.receivers.get('oncall-email'))) {
        await repos.receivers
          .create({
            id: 'oncall-email',
            name: 'oncall-email',
            type: 'email',
            to: [],
            sendResolved: true,
            createdAt: at,
          })
          .catch(() => undefined);
      }
    },
  },
];
