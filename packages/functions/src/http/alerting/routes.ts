import type { Routes } from '../toolkit/index';

/** Rules, alerts, silences, receivers and routing (group `alerts`). */
export const alertingRoutes: Routes = {};
