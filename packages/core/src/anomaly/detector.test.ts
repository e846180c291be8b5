import { describe, expect, it } from 'vitest';
import { AnomalyDetector, scoreSeries } from './detector';
import { RollingQuantiles } from './rolling-quantiles';
import { SeasonalBaseline } from './seasonal-baseline';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Five-minute points over `days` days with a daily sine and a little deterministic noise. */
function daily(days: number, at: (i: number, t: number) => number = () => 0) {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < (days * DAY) / (5 * MINUTE); i++) {
    const t = Date.UTC(2024, 0, 1) + i * 5 * MINUTE;
    timestamps.push(t);
    values.push(50 + 20 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + Math.sin(i * 1.7) + at(i, t));
  }
  return { timestamps, values };
}
const alerts = (scores: number[], from = 0, to = scores.length) =>
  scores.slice(from, to).filter((s) => s >= 0.5).length;

describe('AnomalyDetector', () => {
  it('stays quiet on a clean daily pattern', () => {
    const { timestamps, values } = daily(10);
    const scores = scoreSeries(values, timestamps);
    expect(alerts(scores, 2 * 288)).toBe(0);
  });

  it('reports a value outside the range seen so far, once', () => {
    const { timestamps, values } = daily(8, (i) => (i >= 2000 && i < 2010 ? 60 : 0));
    const scores = scoreSeries(values, timestamps);
    expect(scores[2000]).toBeGreaterThanOrEqual(0.5);
    // The refractory period holds back the rest of the same incident.
    expect(alerts(scores, 2001, 2010)).toBe(0);
    expect(alerts(scores, 2 * 288, 2000)).toBe(0);
  });

  it('holds alerts back until four quiet hours have passed, whatever the sampling interval', () => {
    // Spikes on 5-minute data at points 1500, 1524 (2 h later: the same incident), 1560
    // (3 h after that) and 1620 (5 h after that).
    const spikes: Record<number, number> = { 1500: 80, 1524: 100, 1560: 120, 1620: 140 };
    const { timestamps, values } = daily(8, (i) => spikes[i] ?? 0);
    const scores = scoreSeries(values, timestamps);
    expect(scores[1500]).toBeGreaterThanOrEqual(0.5);
    expect(scores[1524]).toBe(0);
    expect(scores[1560]).toBe(0);
    expect(scores[1620]).toBeGreaterThanOrEqual(0.5);
  });

  it('reports a daily peak that does not come, though every value is inside the usual range', () => {
    // On day 6 the series stays flat at its mean instead of swinging through the day.
    const { timestamps, values } = daily(8, (i, t) =>
      i >= 6 * 288 && i < 7 * 288 ? -20 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) : 0,
    );
    const scores = scoreSeries(values, timestamps);
    expect(alerts(scores, 6 * 288, 6 * 288 + 144)).toBeGreaterThan(0);
    expect(alerts(scores, 2 * 288, 6 * 288)).toBe(0);
  });

  it('detects a level shift without timestamps', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i < 600 ? 10 : 40) + Math.sin(i / 5));
    const scores = scoreSeries(values);
    expect(Math.max(...scores.slice(600, 610))).toBeGreaterThanOrEqual(0.5);
    expect(alerts(scores, 100, 600)).toBe(0);
  });

  it('is causal: the score at t does not change when any later point changes', () => {
    const { timestamps, values } = daily(6, (i) => (i === 1200 ? 30 : 0));
    const scores = scoreSeries(values, timestamps);
    for (const cut of [700, 1199, 1200, 1500]) {
      const altered = values.map((v, i) => (i > cut ? v * 3 - 100 + ((i * 7919) % 13) : v));
      const again = scoreSeries(altered, timestamps);
      expect(again.slice(0, cut + 1)).toEqual(scores.slice(0, cut + 1));
      expect(again.slice(cut + 1)).not.toEqual(scores.slice(cut + 1));
    }
  });

  it('scores a missing reading 0 and goes on as if it had not come', () => {
    const { timestamps, values } = daily(4, (i) => (i === 1000 ? 40 : 0));
    const gappy = values.map((v, i) => (i === 900 ? Number.NaN : i === 901 ? Number.POSITIVE_INFINITY : v));
    const scores = scoreSeries(gappy, timestamps);
    expect(scores.slice(900, 902)).toEqual([0, 0]);
    expect(scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
    expect(scores[1000]).toBeGreaterThanOrEqual(0.5);
  });

  it('explains a point: its strongest signal and where the value was expected', () => {
    const detector = new AnomalyDetector();
    const { timestamps, values } = daily(3);
    for (let i = 0; i < values.length; i++) detector.push(timestamps[i], values[i]);
    const t = timestamps[timestamps.length - 1] + 5 * MINUTE;
    const verdict = detector.push(t, 500);
    expect(verdict.signal).toBe('new-extreme');
    expect(verdict.score).toBeGreaterThanOrEqual(0.5);
    expect(verdict.expected?.median).toBeGreaterThan(25);
    expect(verdict.expected?.median).toBeLessThan(75);
    expect(verdict.suppressed).toBe(false);
    expect(detector.push(t + 5 * MINUTE, 600)).toMatchObject({ score: 0, suppressed: true });
  });
});

describe('RollingQuantiles', () => {
  it('keeps the last values only', () => {
    const q = new RollingQuantiles(5);
    for (const v of [100, 1, 2, 3, 4, 5]) q.push(v);
    expect(q.size).toBe(5);
    expect(q.quantile(0)).toBe(1);
    expect(q.quantile(0.5)).toBe(3);
    expect(q.quantile(1)).toBe(5);
  });
});

describe('SeasonalBaseline', () => {
  it('expects the median of the same time on earlier days', () => {
    const b = new SeasonalBaseline(7);
    const noon = Date.UTC(2024, 0, 1, 12);
    expect(b.expected(noon)).toBeNull();
    for (const [day, v] of [
      [0, 10],
      [1, 12],
      [2, 50],
    ])
      b.add(noon + day * DAY, v);
    b.add(noon + 6 * 3_600_000, 1000);
    expect(b.expected(noon + 3 * DAY)).toBe(12);
  });

  it('expects the same hour of the week once three weeks are known', () => {
    const b = new SeasonalBaseline(7, 4);
    const monday = Date.UTC(2024, 0, 1, 9);
    // Weekdays read 100 at 09:00, weekends 10.
    for (let day = 0; day < 21; day++) b.add(monday + day * DAY, day % 7 < 5 ? 100 : 10);
    expect(b.expected(monday + 21 * DAY)).toBe(100);
    // Day 27 is a Sunday: expected like the Sundays before it.
    expect(b.expected(monday + 27 * DAY)).toBe(10);
    // With days only, a Sunday is expected to look like most of the week before it.
    const daily = new SeasonalBaseline(7);
    for (let day = 0; day < 21; day++) daily.add(monday + day * DAY, day % 7 < 5 ? 100 : 10);
    expect(daily.expected(monday + 27 * DAY)).toBe(100);
  });
});
