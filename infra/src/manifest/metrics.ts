import type { ManifestPart } from './types';

/** The metrics domain's routes, jobs, channel functions and subscriptions. */
export const metricsPart: ManifestPart = {
  functions: [],
  routes: [],
  schedules: [],
  subscriptions: [],
};
