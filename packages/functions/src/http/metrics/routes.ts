import { metricsIngest } from './ingest';
import { metricsQuery } from './query';

/** Metrics ingest routes (group `ingest`). */
export const metricsIngestRoutes = { ...metricsIngest };
/** Prometheus-compatible query routes (group `query`). */
export const metricsQueryRoutes = { ...metricsQuery };
