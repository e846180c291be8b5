import type { Querier } from '@vigil/core/promql';
import { createMetricQuerier, MetricStore, RollupStore } from '@vigil/dynamo';
import { platform } from '../platform/context';

let cached: { table: unknown; store: MetricStore; rollups: RollupStore; querier: Querier } | undefined;

/** The metric store over the platform's metrics table, built once per table. */
export function metricStores(): { store: MetricStore; rollups: RollupStore; querier: Querier } {
  const table = platform().tables.metrics;
  if (cached?.table !== table) {
    const store = new MetricStore(table);
    cached = { table, store, rollups: new RollupStore(table), querier: createMetricQuerier(store) };
  }
  return cached;
}
