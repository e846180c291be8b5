import type { Routes } from '../toolkit/index';

/** Log ingest routes (group `ingest`). */
export const logsIngestRoutes: Routes = {};
/** Log search, tail and Loki query routes (group `query`). */
export const logsQueryRoutes: Routes = {};
