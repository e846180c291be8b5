import { alertingRoutes } from './alerting/routes';
import { createHttpHandler } from './toolkit/index';

/** Route group `alerts`: rules, alerts, silences, receivers, routing. */
export const routes = { ...alertingRoutes };
export const handler = createHttpHandler(routes);
