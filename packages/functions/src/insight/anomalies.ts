import { ConflictError } from '@vigil/core';
import { fingerprint } from '@vigil/core/alerting';
import { AnomalyDetector } from '@vigil/core/anomaly';
import { evaluateRange } from '@vigil/core/promql';
import { receiveAlerts } from '../alerting/receive';
import { metricStores } from '../metrics/context';
import type { Platform } from '../platform/context';
import type { AnomalyDetector as WatchedSeries } from './context';
import { insight } from './context';

const HOUR = 3_600_000;

/** How far back and how finely a watched series is read, by its seasonality. */
const WINDOWS: Record<WatchedSeries['seasonality'], { lookback: number; step: number }> = {
  none: { lookback: 24 * HOUR, step: 5 * 60_000 },
  daily: { lookback: 7 * 24 * HOUR, step: 15 * 60_000 },
  weekly: { lookback: 28 * 24 * HOUR, step: HOUR },
};

/** The default sensitivity: at 4 a point is anomalous when its strongest signal reaches its level. */
const DEFAULT_SENSITIVITY = 4;

/**
 * Scores the newest point of every watched series with Vigil's streaming detector (the one
 * `bench/nab` measures), replaying the series' recent past through it so that it only ever
 * sees points before the one it scores. Stores each anomaly once (a re-run over the same point
 * changes nothing) with its score, expected range and severity and, where asked, raises it as
 * an alert.
 */
export async function detectAnomalies(platform: Platform, now: number): Promise<number> {
  const repos = insight();
  let found = 0;
  for (const d of await repos.detectors.all()) {
    const { lookback, step } = WINDOWS[d.seasonality];
    const result = await evaluateRange(d.query, metricStores().querier, now - lookback, now, step);
    for (const series of result.series) {
      const detector = new AnomalyDetector();
      let last: ReturnType<AnomalyDetector['push']> | undefined;
      // The seasonal signals follow the series' own season: none turns them off.
      series.ts.forEach((t, i) => {
        last = detector.push(d.seasonality === 'none' ? null : t, series.vs[i]);
      });
      const value = series.vs.at(-1);
      const at = series.ts.at(-1);
      if (!last?.expected || value === undefined || at === undefined || !Number.isFinite(value)) continue;
      // `raw` is r / (1 + r) for the strongest signal r (1 = at its level); the suppressed
      // repeats right after an anomaly score 0.
      const level = last.score > 0 ? last.score / (1 - last.score) : 0;
      const threshold = d.sensitivity / DEFAULT_SENSITIVITY;
      if (level < threshold) continue;
      const severity =
        level >= threshold * 3
          ? 'critical'
          : level >= threshold * 2
            ? 'high'
            : level >= threshold * 1.5
              ? 'medium'
              : 'low';
      const { median, low, high } = last.expected;
      try {
        await repos.anomalies.create({
          id: `${d.id}-${fingerprint(series.labels)}-${at}`,
          detector: d.id,
          series: series.labels,
          at: new Date(at).toISOString(),
          value,
          expected: { low, high, median },
          score: Math.round(level * 100) / 100,
          severity,
        });
      } catch (error) {
        if (error instanceof ConflictError) continue;
        throw error;
      }
      found++;
      if (d.raiseAlert) {
        const { __name__: _, ...labels } = series.labels;
        await receiveAlerts(
          platform,
          [
            {
              labels: {
                ...labels,
                alertname: 'Anomaly',
                detector: d.name,
                severity: severity === 'critical' ? 'high' : 'medium',
              },
              annotations: {
                summary: `${d.name}: ${value} is outside the expected ${low.toFixed(2)} to ${high.toFixed(2)} (${last.signal ?? 'outlier'})`,
              },
            },
          ],
          now,
        );
      }
    }
  }
  return found;
}
