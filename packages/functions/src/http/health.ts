import { healthRoutes } from './health/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `health`: /health/live, ready, startup, detailed. */
export const routes = { ...healthRoutes };
export const handler = createHttpHandler(routes);
