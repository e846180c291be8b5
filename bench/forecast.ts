/**
 * Forecast error on the Numenta Anomaly Benchmark corpus (../shared/datasets/nab, or
 * $VIGIL_DATASETS/nab): each series is cut before its last 10 %, and that tail is forecast in one go
 * from the prefix with the linear trend, the moving average and Holt-Winters (daily season),
 * against the naive last-value forecast measured in the same run. The error is MAPE over
 * the tail's non-zero values; per method the median across series and on how many series it
 * beats the naive forecast (means are useless here: near-zero actual values blow MAPE up).
 * Prints one JSON line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  holtWintersForecast,
  isSeasonal,
  linearTrend,
  movingAverageForecast,
} from '../packages/core/src/trends/index';

// The datasets sit beside the checkout (../shared/datasets) unless VIGIL_DATASETS says otherwise.
const root = [
  process.env.VIGIL_DATASETS && join(process.env.VIGIL_DATASETS, 'nab'),
  new URL('../../shared/datasets/nab/', import.meta.url).pathname,
  new URL('../../../shared/datasets/nab/', import.meta.url).pathname,
].find((dir): dir is string => Boolean(dir) && existsSync(join(dir as string, 'data')));
if (!root) {
  console.error('NAB corpus not found: set VIGIL_DATASETS to the directory holding nab/');
  process.exit(2);
}

const HOLDOUT = 0.1;
const parse = (t: string) => Date.parse(`${t.trim().slice(0, 19).replace(' ', 'T')}Z`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number) => Math.round(x * 100) / 100;

/** Mean absolute percentage error (in %) over the actual values that are not zero. */
function mape(actual: number[], forecast: number[]): number | null {
  let sum = 0;
  let n = 0;
  actual.forEach((a, i) => {
    if (a === 0) return;
    sum += Math.abs((a - forecast[i]) / a);
    n++;
  });
  return n ? (sum / n) * 100 : null;
}

type Method = 'linear' | 'movingAverage' | 'holtWinters' | 'naive';
/** Per method, per series: the MAPE, and the naive MAPE of the same series. */
const errors: Record<Method, Array<{ mape: number; naive: number }>> = {
  linear: [],
  movingAverage: [],
  holtWinters: [],
  naive: [],
};
let files = 0;
const started = performance.now();

for (const category of readdirSync(join(root, 'data')).sort()) {
  for (const file of readdirSync(join(root, 'data', category)).sort()) {
    const rows = readFileSync(join(root, 'data', category, file), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const points = rows.map((r) => ({ t: parse(r[0]), v: Number(r[1]) }));
    const cut = Math.floor(points.length * (1 - HOLDOUT));
    const history = points.slice(0, cut);
    const tail = points.slice(cut);
    const actual = tail.map((p) => p.v);
    const values = history.map((p) => p.v);
    // The sampling step is the median gap; a day of steps is the season.
    const step = median(history.slice(1).map((p, i) => p.t - history[i].t));
    const period = Math.round(86_400_000 / step);
    const trend = linearTrend(history);
    const forecasts: Partial<Record<Method, number[]>> = {
      linear: tail.map((p) => trend.intercept + trend.slopePerHour * ((p.t - history[0].t) / 3_600_000)),
      movingAverage: movingAverageForecast(values, tail.length).map((f) => f.v),
      naive: tail.map(() => values.at(-1) as number),
    };
    // Holt-Winters only where the series is seasonal, as the analytics API uses it.
    if (isSeasonal(values, period))
      forecasts.holtWinters = holtWintersForecast(values, tail.length, period).steps.map((f) => f.v);
    files++;
    const naive = mape(actual, forecasts.naive as number[]);
    if (naive === null) continue;
    for (const method of Object.keys(errors) as Method[]) {
      const forecast = forecasts[method];
      const error = forecast && mape(actual, forecast);
      if (error !== null && error !== undefined) errors[method].push({ mape: error, naive });
    }
  }
}

const summary = Object.fromEntries(
  (Object.keys(errors) as Method[]).map((m) => [
    m,
    {
      series: errors[m].length,
      medianMAPE: round(median(errors[m].map((e) => e.mape))),
      naiveMedianMAPE: round(median(errors[m].map((e) => e.naive))),
      beatsNaive: errors[m].filter((e) => e.mape < e.naive).length,
    },
  ]),
) as Record<Method, { series: number; medianMAPE: number; naiveMedianMAPE: number; beatsNaive: number }>;

console.log(
  JSON.stringify({
    bench: 'forecast',
    what: 'MAPE (%) forecasting the last 10 % of each NAB series from the rest in one go',
    files,
    linear: summary.linear,
    movingAverage: summary.movingAverage,
    holtWinters: { ...summary.holtWinters, note: 'seasonal series only (daily autocorrelation >= 0.3)' },
    baseline: {
      naive: { series: summary.naive.series, medianMAPE: summary.naive.medianMAPE },
      note: 'last value repeated, measured in the same run; naiveMedianMAPE is on the same series',
    },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
