import type { Routes } from '../toolkit/index';

/** Incidents, reviews, runbooks, schedules, on-call and escalation policies (group `incidents`). */
export const incidentRoutes: Routes = {};
