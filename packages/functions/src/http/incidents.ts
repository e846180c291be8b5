import { incidentRoutes } from './incidents/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `incidents`: incidents, reviews, runbooks, on-call. */
export const routes = { ...incidentRoutes };
export const handler = createHttpHandler(routes);
