import type { Routes } from '../toolkit/index';

/** SLOs, anomalies, analytics, benchmarks, reports, insights and status (group `insights`). */
export const insightRoutes: Routes = {};
