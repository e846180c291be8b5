export * from './codec';
export * from './compaction';
export * from './layout';
export * from './rollups';
export * from './segment-items';
export * from './store';

import type { Querier } from '@vigil/core/promql';
import type { MetricStore } from './store';

/** A PromQL querier over the metric store. */
export function createMetricQuerier(store: MetricStore): Querier {
  return { select: (matchers, start, end) => store.select(matchers, start, end) };
}
