import { benchmarkRoutes } from './insight/benchmarks';
import { insightRoutes } from './insight/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `insights`: SLOs, anomalies, analytics, benchmarks, reports, status. */
export const routes = { ...insightRoutes, ...benchmarkRoutes };
export const handler = createHttpHandler(routes);
