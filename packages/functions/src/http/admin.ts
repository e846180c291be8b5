import { keyRoutes } from './admin/keys';
import { openApiRoutes } from './admin/openapi';
import { createHttpHandler } from './toolkit/index';

/** Route group `admin`: API keys and the OpenAPI document. */
export const routes = { ...keyRoutes, ...openApiRoutes };
export const handler = createHttpHandler(routes);
