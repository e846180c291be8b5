import { randomUUID } from 'node:crypto';
import type { SeriesInput } from '@vigil/core/events';
import { writeSeries } from '../metrics/write';
import { platform, type RequestObserver } from '../platform/context';
import { logger } from '../platform/observability';

/** Latency buckets (seconds) of Vigil's own request histogram. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FLUSH_EVERY_MS = 10_000;
const instance = `${process.pid}-${randomUUID().slice(0, 6)}`;

interface RouteStats {
  requests: Map<string, number>;
  buckets: number[];
  count: number;
  sum: number;
}

const stats = new Map<string, RouteStats>();
const usage = new Map<string, number>();
let lastFlush = 0;
let flushing: Promise<void> | undefined;

/**
 * Records Vigil's own requests as Prometheus counters and a latency histogram (cumulative per
 * process, labelled by instance, so `rate()` works across Lambda containers) and per-key usage
 * by day. Buffered and written at most every 10 s, so it never slows a request down.
 */
export const observeRequest: RequestObserver = ({ routeKey, status, durationMs, keyId, at }) => {
  let s = stats.get(routeKey);
  if (!s) {
    s = { requests: new Map(), buckets: BUCKETS.map(() => 0), count: 0, sum: 0 };
    stats.set(routeKey, s);
  }
  s.requests.set(String(status), (s.requests.get(String(status)) ?? 0) + 1);
  const seconds = durationMs / 1000;
  BUCKETS.forEach((b, i) => {
    if (seconds <= b) s.buckets[i]++;
  });
  s.count++;
  s.sum += seconds;
  const day = new Date(at).toISOString().slice(0, 10);
  const u = `${day}|${keyId ?? 'anonymous'}|${routeKey}|${status}`;
  usage.set(u, (usage.get(u) ?? 0) + 1);
  if (at - lastFlush >= FLUSH_EVERY_MS && !flushing) {
    lastFlush = at;
    flushing = flush(at).finally(() => {
      flushing = undefined;
    });
  }
};

/** Writes the current counters (and pending usage) now. */
export async function flush(at: number): Promise<void> {
  const series: SeriesInput[] = [];
  for (const [route, s] of stats) {
    for (const [status, n] of s.requests)
      series.push({
        name: 'vigil_http_requests_total',
        labels: { route, status, instance },
        samples: [[at, n]],
      });
    for (const [i, b] of BUCKETS.entries())
      series.push({
        name: 'vigil_http_request_duration_seconds_bucket',
        labels: { route, le: String(b), instance },
        samples: [[at, s.buckets[i]]],
      });
    series.push({
      name: 'vigil_http_request_duration_seconds_bucket',
      labels: { route, le: '+Inf', instance },
      samples: [[at, s.count]],
    });
    series.push({
      name: 'vigil_http_request_duration_seconds_count',
      labels: { route, instance },
      samples: [[at, s.count]],
    });
    series.push({
      name: 'vigil_http_request_duration_seconds_sum',
      labels: { route, instance },
      samples: [[at, s.sum]],
    });
  }
  const pending = [...usage.entries()];
  usage.clear();
  try {
    if (series.length) await writeSeries(platform(), series, at);
    for (const [key, n] of pending) {
      const [day, keyId, route, status] = key.split('|');
      await platform().tables.state.increment(
        { PK: `USAGE#${day}`, SK: `${keyId}|${route}|${status}` },
        { count: n },
        { day, keyId, route, status, expiresAt: Math.floor(at / 1000) + 400 * 86_400 },
      );
    }
  } catch (error) {
    logger.warn('could not record request metrics', { error: error as Error });
  }
}
