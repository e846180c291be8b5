import { logsIngestRoutes } from './logs/routes';
import { metricsIngestRoutes } from './metrics/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `ingest`: metrics and logs in every format. */
export const routes = { ...metricsIngestRoutes, ...logsIngestRoutes };
export const handler = createHttpHandler(routes);
