/** Linear trends: least squares with R², significance, and a forecast with intervals. Pure. */
export interface Point {
  t: number;
  v: number;
}

export interface Trend {
  slopePerHour: number;
  intercept: number;
  r2: number;
  direction: 'increasing' | 'decreasing' | 'stable';
  /** Two-sided p-value of the slope (t-test with n-2 degrees of freedom, normal approximation for large n). */
  pValue: number;
  n: number;
}

/** Least-squares line through the points, with R² and whether the slope is significant (p < 0.05). */
export function linearTrend(points: Point[]): Trend {
  const n = points.length;
  if (n < 3)
    return { slopePerHour: 0, intercept: points[0]?.v ?? 0, r2: 0, direction: 'stable', pValue: 1, n };
  const x0 = points[0].t;
  const xs = points.map((p) => (p.t - x0) / 3_600_000);
  const ys = points.map((p) => p.v);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const r2 = syy ? (sxy * sxy) / (sxx * syy) : 0;
  const residual = Math.max(0, syy - slope * sxy);
  const se = sxx && n > 2 ? Math.sqrt(residual / (n - 2) / sxx) : 0;
  const tStat = se ? Math.abs(slope / se) : slope ? Number.POSITIVE_INFINITY : 0;
  const pValue = 2 * (1 - normalCdf(tStat));
  const direction = pValue < 0.05 && slope !== 0 ? (slope > 0 ? 'increasing' : 'decreasing') : 'stable';
  return { slopePerHour: slope, intercept, r2, direction, pValue, n };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** A linear forecast with a 95 % prediction interval, and when it crosses `threshold`. */
export function linearForecast(points: Point[], horizonHours: number, stepHours: number, threshold?: number) {
  const trend = linearTrend(points);
  const x0 = points[0]?.t ?? 0;
  const last = points.at(-1)?.t ?? 0;
  const residuals = points.map(
    (p) => p.v - (trend.intercept + trend.slopePerHour * ((p.t - x0) / 3_600_000)),
  );
  const sigma = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / Math.max(1, points.length - 2));
  const forecast = [];
  for (let h = stepHours; h <= horizonHours; h += stepHours) {
    const t = last + h * 3_600_000;
    const v = trend.intercept + trend.slopePerHour * ((t - x0) / 3_600_000);
    forecast.push({ t, v, lower: v - 1.96 * sigma, upper: v + 1.96 * sigma });
  }
  let hoursUntilThreshold: number | null = null;
  if (threshold !== undefined && trend.slopePerHour !== 0) {
    const nowValue = trend.intercept + trend.slopePerHour * ((last - x0) / 3_600_000);
    const hours = (threshold - nowValue) / trend.slopePerHour;
    hoursUntilThreshold = hours >= 0 ? hours : null;
  }
  return { trend, forecast, hoursUntilThreshold };
}
