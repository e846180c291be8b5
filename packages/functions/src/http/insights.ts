import { insightRoutes } from './insight/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `insights`: SLOs, anomalies, analytics, reports, status. */
export const routes = { ...insightRoutes };
export const handler = createHttpHandler(routes);
