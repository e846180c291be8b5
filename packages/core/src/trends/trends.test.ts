import { describe, expect, it } from 'vitest';
import { comparePeriods, linearForecast, linearTrend, robustZ } from './index';

const H = 3_600_000;

describe('trends', () => {
  it('recovers a known slope and says when a threshold is crossed', () => {
    const points = Array.from({ length: 48 }, (_, i) => ({ t: i * H, v: 50 + 0.5 * i + Math.sin(i) * 0.1 }));
    const { trend, hoursUntilThreshold } = linearForecast(points, 24, 1, 90);
    expect(trend.slopePerHour).toBeCloseTo(0.5, 2);
    expect(trend.r2).toBeGreaterThan(0.99);
    expect(trend.direction).toBe('increasing');
    expect(hoursUntilThreshold).toBeCloseTo((90 - 73.5) / 0.5, 0);
  });

  it('calls noise stable', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ t: i * H, v: 10 + ((i * 7919) % 13) / 10 }));
    expect(linearTrend(points).direction).toBe('stable');
  });

  it('compares periods with a significance test', () => {
    const a = Array.from({ length: 50 }, (_, i) => 100 + (i % 5));
    const b = Array.from({ length: 50 }, (_, i) => 135 + (i % 5));
    expect(comparePeriods(a, b)).toMatchObject({ significant: true });
    expect(comparePeriods(a, b).changePercent).toBeCloseTo(34.3, 0);
  });

  it('scores outliers with a robust z-score', () => {
    const history = Array.from({ length: 50 }, (_, i) => 100 + (i % 7));
    expect(Math.abs(robustZ(history, 103).z)).toBeLessThan(1);
    expect(robustZ(history, 180).z).toBeGreaterThan(10);
  });
});
