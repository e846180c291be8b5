import { describe, expect, it } from 'vitest';
import { scoreSeries } from './detector';
import {
  normalizedScore,
  optimizeThreshold,
  probationaryLength,
  type ScoredFile,
  scaledSigmoid,
} from './nab-score';

const cost = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const ts = Array.from({ length: 1000 }, (_, i) => i * 60_000);
const file = (scores: number[]): ScoredFile => ({ scores, timestamps: ts, windows: [[ts[500], ts[549]]] });

describe('NAB scoring', () => {
  it('follows the scaled sigmoid: full credit at a window start, -1 well past a window', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3.5)).toBe(-1);
    expect(probationaryLength(1000)).toBe(150);
    expect(probationaryLength(100_000)).toBe(750);
  });

  it('scores the null detector 0 and a perfect one 100', () => {
    const none = optimizeThreshold({ f: file(ts.map(() => 0)) }, cost);
    expect(normalizedScore(none.raw, none.windows, cost)).toBe(0);
    const perfect = optimizeThreshold({ f: file(ts.map((_, i) => (i === 500 ? 1 : 0))) }, cost);
    expect(normalizedScore(perfect.raw, perfect.windows, cost)).toBeCloseTo(100, 9);
  });

  it('rewards early detections over late ones and charges false positives', () => {
    const early = optimizeThreshold({ f: file(ts.map((_, i) => (i === 505 ? 1 : 0))) }, cost);
    const late = optimizeThreshold({ f: file(ts.map((_, i) => (i === 545 ? 1 : 0))) }, cost);
    const noisy = optimizeThreshold({ f: file(ts.map((_, i) => (i === 505 || i === 300 ? 1 : 0))) }, cost);
    expect(early.raw).toBeGreaterThan(late.raw);
    expect(noisy.raw).toBeLessThan(early.raw);
  });

  it('detects a level shift in a streaming series without looking ahead', () => {
    const values = ts.map((_, i) => (i < 600 ? 10 + Math.sin(i / 5) : 40 + Math.sin(i / 5)));
    const scores = scoreSeries(values);
    expect(Math.max(...scores.slice(600, 610))).toBeGreaterThan(0.5);
    expect(Math.max(...scores.slice(100, 590))).toBeLessThan(0.5);
    // Causality: the scores of a prefix do not change when the future is appended.
    expect(scoreSeries(values.slice(0, 700)).slice(0, 650)).toEqual(scores.slice(0, 650));
  });
});
