import { describe, expect, it } from 'vitest';
import { autocorrelation, holtWintersForecast, isSeasonal, movingAverageForecast } from './forecast';
import { forecastSeries } from './series-forecast';

// A daily season of 24 hourly points on a rising line: 100 + 0.5 t + 20 sin(2πt/24).
const truth = (t: number) => 100 + 0.5 * t + 20 * Math.sin((2 * Math.PI * t) / 24);
// Deterministic noise in [-1, 1].
const noise = (t: number) => (((t * 7919) % 201) - 100) / 100;

describe('forecasts', () => {
  it('Holt-Winters recovers a known slope and season', () => {
    const history = Array.from({ length: 24 * 14 }, (_, t) => truth(t) + noise(t));
    const { steps } = holtWintersForecast(history, 48, 24);
    steps.forEach((step, h) => {
      const t = history.length + h;
      expect(Math.abs(step.v - truth(t))).toBeLessThan(2.5);
      expect(step.lower).toBeLessThan(truth(t));
      expect(step.upper).toBeGreaterThan(truth(t));
    });
    // The slope shows in the forecast: one season later is 12 higher (0.5 × 24).
    expect(steps[24].v - steps[0].v).toBeCloseTo(12, 0);
  });

  it('widens the Holt-Winters interval with the horizon', () => {
    const history = Array.from({ length: 24 * 7 }, (_, t) => truth(t) + 3 * noise(t));
    const { steps } = holtWintersForecast(history, 24, 24);
    expect(steps[23].upper - steps[23].lower).toBeGreaterThan(steps[0].upper - steps[0].lower);
  });

  it('refuses Holt-Winters with less than two seasons', () => {
    expect(() => holtWintersForecast([1, 2, 3], 3, 24)).toThrow(RangeError);
  });

  it('forecasts the recent mean with a moving average', () => {
    const values = [10, 10, 10, 10, 20, 20, 20, 20];
    const steps = movingAverageForecast(values, 3, 4);
    expect(steps.map((s) => s.v)).toEqual([20, 20, 20]);
    expect(steps[2].upper - steps[2].lower).toBeGreaterThan(steps[0].upper - steps[0].lower);
  });

  it('tells seasonal series from noise', () => {
    const seasonal = Array.from(
      { length: 24 * 5 },
      (_, t) => 20 * Math.sin((2 * Math.PI * t) / 24) + noise(t),
    );
    const flat = Array.from({ length: 24 * 5 }, (_, t) => noise(t));
    // The biased estimator scales by (n - lag) / n = 0.8 here.
    expect(autocorrelation(seasonal, 24)).toBeGreaterThan(0.7);
    expect(isSeasonal(seasonal, 24)).toBe(true);
    expect(isSeasonal(flat, 24)).toBe(false);
    expect(isSeasonal(seasonal.slice(0, 30), 24)).toBe(false);
  });
});

describe('forecastSeries', () => {
  const H = 3_600_000;
  const points = (f: (t: number) => number, n: number) =>
    Array.from({ length: n }, (_, t) => ({ t: t * H, v: f(t) }));

  it('uses Holt-Winters for a seasonal series on auto and says when the threshold is reached', () => {
    const result = forecastSeries(
      points((t) => truth(t) + noise(t), 24 * 14),
      {
        method: 'auto',
        horizonHours: 48,
        stepMs: H,
        threshold: 300,
      },
    );
    expect(result.method).toBe('holt-winters');
    expect(result.forecast).toHaveLength(48);
    expect(result.forecast[0].t).toBe(24 * 14 * H);
    expect(result.trend.slopePerHour).toBeCloseTo(0.5, 1);
    // The true series first reaches 300 this many hours after its last point.
    const last = 24 * 14 - 1;
    const hours = Array.from({ length: 48 }, (_, h) => h + 1).find((h) => truth(last + h) >= 300);
    expect(Math.abs((result.hoursUntilThreshold as number) - (hours as number))).toBeLessThanOrEqual(1);
  });

  it('falls back to the linear trend for a series without season', () => {
    const result = forecastSeries(
      points((t) => 10 + 2 * t, 48),
      {
        method: 'auto',
        horizonHours: 24,
        stepMs: H,
        threshold: 150,
      },
    );
    expect(result.method).toBe('linear');
    // Last value 104 at 2/h: 150 is 23 hours away.
    expect(result.hoursUntilThreshold).toBeCloseTo(23, 6);
  });

  it('finds the threshold crossing in a moving-average forecast only when the level passes it', () => {
    // 40 h at 50 then 8 h at 80: the last value is 80, the forecast level (last 12 h) is 70.
    const jumped = points((t) => (t < 40 ? 50 : 80), 48);
    const opts = { method: 'moving-average' as const, horizonHours: 12, stepMs: H };
    expect(forecastSeries(jumped, { ...opts, threshold: 90 }).hoursUntilThreshold).toBeNull();
    expect(forecastSeries(jumped, { ...opts, threshold: 75 }).hoursUntilThreshold).toBe(1);
    expect(forecastSeries(jumped, { ...opts, threshold: 60 }).hoursUntilThreshold).toBeNull();
  });

  it('thins long horizons', () => {
    const result = forecastSeries(
      points((t) => truth(t), 24 * 7),
      {
        method: 'holt-winters',
        horizonHours: 24 * 30,
        stepMs: H,
        maxPoints: 100,
      },
    );
    expect(result.forecast.length).toBeLessThanOrEqual(100);
    expect(result.forecast.at(-1)?.t).toBe((24 * 7 - 1) * H + 24 * 30 * H);
  });
});
