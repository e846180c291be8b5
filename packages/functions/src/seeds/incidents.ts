import { runbooks } from '../incidents/reviews';
import type { Seed } from '../platform/seeds';

const book = (title: string, steps: string[], tags: string[]) => ({
  title,
  tags,
  body: `# ${title}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n`,
});

/** Starter runbooks: short, concrete first steps an on-call engineer can follow at 3 a.m. */
export const STARTER_RUNBOOKS: Record<string, { title: string; body: string; tags: string[] }> = {
  startup: book(
    'Service fails to start',
    [
      'Read the last 50 log lines of the service (`/api/v1/logs/search?service=…&level=error`).',
      'Check the latest deploy and configuration change; roll back if it coincides.',
      'Verify dependencies answer (database, cache, queues) from the service host.',
      'Check health endpoints: live answers, ready reports which dependency is down.',
    ],
    ['deploy'],
  ),
  'database-issues': book(
    'Database errors or connection failures',
    [
      'Check connection counts against the pool and the server limit.',
      'Look for long-running or blocked queries and kill the blocker if it is safe.',
      'Check disk, CPU and replication lag on the database host.',
      'Fail over only if the primary is unhealthy and the replica is in sync.',
    ],
    ['database'],
  ),
  'high-error-rate': book(
    'High error rate',
    [
      'Find the failing routes: `sum by (route) (rate(http_requests_total{status=~"5.."}[5m]))`.',
      'Correlate with deploys, config changes and dependency alerts in the same window.',
      'Search error logs by request id of a failing request to find the cause.',
      'Roll back or disable the feature flag; communicate in the incident timeline.',
    ],
    ['errors'],
  ),
  'performance-degradation': book(
    'Latency is up',
    [
      'Compare p95 per route now vs last week (`/api/v1/analytics/compare`).',
      'Check saturation: CPU, memory, connection pools, queue depth.',
      'Look for slow queries and cache hit-rate drops.',
      'Shed load or scale out; note each action on the timeline.',
    ],
    ['latency'],
  ),
  memory: book(
    'Memory usage high',
    [
      'Check whether usage grows steadily (leak) or spikes (load).',
      'Capture a heap profile before restarting anything.',
      'Restart one instance at a time to buy time; keep one for analysis.',
      'Open an action item for the leak with the profile attached.',
    ],
    ['memory'],
  ),
  disk: book(
    'Disk almost full',
    [
      'Find the largest directories (`du -xh / | sort -h | tail`).',
      'Remove rotated logs and temporary files first; never delete database files.',
      'Check log rotation and retention settings.',
      'Forecast when it fills again (`/api/v1/analytics/trends?threshold=…`) and resize.',
    ],
    ['disk'],
  ),
  cache: book(
    'Cache failures or circuit breaker open',
    [
      'Check the cache cluster health and evictions.',
      'Confirm the application degrades gracefully (circuit open, falls back to the source).',
      'Watch the database for the extra load while the cache is down.',
      'Warm the cache gradually after recovery.',
    ],
    ['cache'],
  ),
  workers: book(
    'Background workers stalled or no recent data',
    [
      'Check queue depth and the age of the oldest message.',
      'Check worker logs for crashes and poison messages; move poison messages aside.',
      'Restart stuck workers; scale out if the backlog keeps growing.',
      'Verify data flows again (`/api/v1/status` ingest figures).',
    ],
    ['workers'],
  ),
  'slo-violation': book(
    'SLO burning too fast',
    [
      'Open the SLO (`/api/v1/slos`): which window burns, how much budget is left.',
      'Find the routes or dependencies that produce the bad events.',
      'Decide with the team: fix now, or freeze risky changes until the budget recovers.',
      'Record the decision and the numbers in the incident timeline.',
    ],
    ['slo'],
  ),
};

export const incidentsSeeds: Seed[] = [
  {
    name: 'starter-runbooks',
    run: async (p) => {
      const repo = runbooks();
      for (const [id, r] of Object.entries(STARTER_RUNBOOKS))
        if (!(await repo.get(id)))
          await repo
            .create({ id, ...r, updatedAt: new Date(p.clock.now()).toISOString() })
            .catch(() => undefined);
    },
  },
];
