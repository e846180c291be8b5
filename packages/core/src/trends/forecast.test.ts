import { describe, expect, it } from 'vitest';
import { autocorrelation, holtWintersForecast, isSeasonal, movingAverageForecast } from './forecast';

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
