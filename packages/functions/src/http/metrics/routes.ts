import type { Routes } from '../toolkit/index';

/** Metrics ingest routes (group `ingest`). */
export const metricsIngestRoutes: Routes = {};
/** Prometheus-compatible query routes (group `query`). */
export const metricsQueryRoutes: Routes = {};
