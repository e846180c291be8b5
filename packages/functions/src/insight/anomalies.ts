import { randomUUID } from 'node:crypto';
import { evaluateRange } from '@vigil/core/promql';
import { robustZ } from '@vigil/core/trends';
import { receiveAlerts } from '../alerting/receive';
import { metricStores } from '../metrics/context';
import type { Platform } from '../platform/context';
import { insight } from './context';

/**
 * Scores the newest point of every watched series against its recent past (a robust
 * z-score over the last 6 hours, or the same hour on previous days with daily seasonality);
 * stores anomalies and, where asked, raises them as alerts.
 */
export async function detectAnomalies(platform: Platform, now: number): Promise<number> {
  const repos = insight();
  let found = 0;
  for (const d of await repos.detectors.all()) {
    const lookback =
      d.seasonality === 'none' ? 6 * 3_600_000 : d.seasonality === 'daily' ? 7 * 86_400_000 : 28 * 86_400_000;
    const step = d.seasonality === 'none' ? 300_000 : 3_600_000;
    const result = await evaluateRange(d.query, metricStores().querier, now - lookback, now, step);
    for (const series of result.series) {
      if (series.vs.length < 8) continue;
      const value = series.vs.at(-1) as number;
      const history =
        d.seasonality === 'daily'
          ? series.vs.filter((_, i) => (series.vs.length - 1 - i) % 24 === 0).slice(0, -1)
          : series.vs.slice(0, -1);
      if (history.length < 4) continue;
      const { z, median, mad } = robustZ(history, value);
      const score = Math.abs(z);
      if (score < d.sensitivity) continue;
      const severity =
        score >= d.sensitivity * 3
          ? 'critical'
          : score >= d.sensitivity * 2
            ? 'high'
            : score >= d.sensitivity * 1.5
              ? 'medium'
              : 'low';
      await repos.anomalies.create({
        id: randomUUID(),
        detector: d.id,
        series: series.labels,
        at: new Date(series.ts.at(-1) as number).toISOString(),
        value,
        expected: { low: median - d.sensitivity * mad, high: median + d.sensitivity * mad, median },
        score: Math.round(score * 100) / 100,
        severity,
      });
      found++;
      if (d.raiseAlert) {
        await receiveAlerts(
          platform,
          [
            {
              labels: {
                alertname: 'Anomaly',
                detector: d.name,
                severity: severity === 'critical' ? 'high' : 'medium',
                ...series.labels,
              },
              annotations: {
                summary: `${d.name}: ${value} is outside the expected ${median.toFixed(2)} ± ${(d.sensitivity * mad).toFixed(2)}`,
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
