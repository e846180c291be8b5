import { FixedClock } from '@vigil/core';
import { type NormalizedSeries, validateSeries } from '@vigil/core/metrics';
import { GROUP_SIZE, MemoryTableStore, WINDOW_MS, windowOf } from '@vigil/dynamo';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricStores } from '../metrics/context';
import { configurePlatform, resetPlatform } from '../platform/context';
import { budgetMs, handler } from './compact-metrics';

const T = windowOf(Date.parse('2026-11-24T08:00:00Z'));
const event = { time: new Date(T + WINDOW_MS + 3_600_000).toISOString() } as ScheduledEvent;
const context = (ms: number) => ({ getRemainingTimeInMillis: () => ms }) as Context;

describe('compact-metrics', () => {
  beforeEach(() =>
    configurePlatform({
      clock: new FixedClock(T + WINDOW_MS + 3_600_000),
      tables: {
        state: new MemoryTableStore('state'),
        metrics: new MemoryTableStore('metrics'),
        logs: new MemoryTableStore('logs'),
      },
    }),
  );
  afterEach(() => resetPlatform());

  it('keeps a margin of the time an invocation has left, and a default without a context', () => {
    // The 300 s Lambda timeout: the run works 255 s and keeps 45 s to finish a group and save.
    expect(budgetMs(300_000)).toBe(255_000);
    expect(budgetMs(30_000)).toBe(25_000);
    expect(budgetMs(3_000)).toBe(0);
    expect(budgetMs(Number.POSITIVE_INFINITY)).toBe(240_000);
  });

  it('stops when the invocation has no time left, and the next run goes on', async () => {
    const series = Array.from({ length: 3 * GROUP_SIZE }, (_, i) => {
      const { series: s } = validateSeries(
        { name: 'job_gauge', labels: { i: String(i) }, samples: [[T, i]] },
        0,
      );
      return s as NormalizedSeries;
    });
    await metricStores().store.write(series, T);
    // Three seconds left: no budget, so the run folds one group and saves where it stopped.
    expect(await handler(event, context(3_000))).toMatchObject({ groups: 1, windows: 0, partial: true });
    expect(await handler(event)).toMatchObject({ groups: 2, windows: 1, partial: false });
  });
});
