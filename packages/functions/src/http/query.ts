import { logsQueryRoutes } from './logs/routes';
import { metricsQueryRoutes } from './metrics/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `query`: the Prometheus and Loki query APIs and log search. */
export const routes = { ...metricsQueryRoutes, ...logsQueryRoutes };
export const handler = createHttpHandler(routes);
