import { evaluateInstant } from '@vigil/core/promql';
import { type Slo, type SloStatus, sli, sloStatus, withWindow } from '@vigil/core/slo';
import { metricStores } from '../metrics/context';

/** The sum of a query's result at `now` (a scalar or every series of a vector); null when empty. */
export async function scalar(query: string, now: number): Promise<number | null> {
  const r = await evaluateInstant(query, metricStores().querier, now);
  if (r.resultType === 'scalar') return Number.isFinite(r.value) ? r.value : null;
  if (r.resultType === 'vector') return r.vector.length ? r.vector.reduce((a, s) => a + s.value, 0) : null;
  return null;
}

/** An SLO's live status: its SLI over the window and over the last hour. */
export async function statusOf(slo: Slo, now: number): Promise<SloStatus & { error?: string }> {
  try {
    const window = `${slo.windowDays}d`;
    const [good, total, goodHour, totalHour] = await Promise.all([
      scalar(withWindow(slo.good, window), now),
      scalar(withWindow(slo.total, window), now),
      scalar(withWindow(slo.good, '1h'), now),
      scalar(withWindow(slo.total, '1h'), now),
    ]);
    return sloStatus(
      sli(good ?? 0, total ?? 0),
      sli(goodHour ?? 0, totalHour ?? 0),
      slo.target,
      slo.windowDays,
    );
  } catch (error) {
    return {
      state: 'no_data',
      sli: null,
      budgetRemaining: null,
      burnRate: null,
      hoursToExhaustion: null,
      error: (error as Error).message,
    };
  }
}
