import { createHttpHandler, type Routes } from './toolkit/index';

/** Route group `insights`. Each domain spreads its route map in here. */
export const routes: Routes = {};
export const handler = createHttpHandler(routes);
