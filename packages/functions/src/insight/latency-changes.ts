import { evaluateInstant } from '@vigil/core/promql';
import { metricStores } from '../metrics/context';
import type { Finding } from './summary';

const WEEK = 7 * 86_400_000;
/** Routes with fewer requests than this in either week are too noisy to compare. */
const MIN_REQUESTS = 100;
/** A p95 increase from this fraction up is reported. */
const MIN_INCREASE = 0.25;

const P95 =
  'histogram_quantile(0.95, sum by (route, le) (increase(vigil_http_request_duration_seconds_bucket[7d])))';
const COUNT = 'sum by (route) (increase(vigil_http_request_duration_seconds_count[7d]))';

async function byRoute(query: string, at: number): Promise<Map<string, number>> {
  const r = await evaluateInstant(query, metricStores().querier, at);
  const out = new Map<string, number>();
  if (r.resultType === 'vector')
    for (const s of r.vector) if (Number.isFinite(s.value)) out.set(s.labels.route ?? '', s.value);
  return out;
}

/**
 * Routes of Vigil's own API whose p95 latency rose by a quarter or more week over week (from
 * the request histogram Vigil records about itself), busiest change first.
 */
export async function routeLatencyFindings(now: number): Promise<Finding[]> {
  const [p95, before, count, countBefore] = await Promise.all([
    byRoute(P95, now),
    byRoute(P95, now - WEEK),
    byRoute(COUNT, now),
    byRoute(COUNT, now - WEEK),
  ]);
  const out: Array<Finding & { change: number }> = [];
  for (const [route, value] of p95) {
    const previous = before.get(route);
    if (previous === undefined || previous <= 0) continue;
    if ((count.get(route) ?? 0) < MIN_REQUESTS || (countBefore.get(route) ?? 0) < MIN_REQUESTS) continue;
    const change = (value - previous) / previous;
    if (change < MIN_INCREASE) continue;
    const ms = (s: number) => `${Math.round(s * 1000)} ms`;
    out.push({
      change,
      severity: change >= 1 ? 'high' : 'medium',
      title: `p95 latency of ${route} is up ${Math.round(change * 100)} % week over week (${ms(previous)} → ${ms(value)})`,
      recommendation:
        'Look at what changed for this route this week (deploys, data volume, a slower dependency), and put a benchmark or SLO on it so the next creep pages before users notice.',
      numbers: {
        route,
        p95Seconds: Math.round(value * 1e4) / 1e4,
        previousP95Seconds: Math.round(previous * 1e4) / 1e4,
        changePercent: Math.round(change * 1000) / 10,
        requests: Math.round(count.get(route) ?? 0),
      },
    });
  }
  return out.sort((a, b) => b.change - a.change).map(({ change: _, ...f }) => f);
}
