import type { ManifestPart } from './types';

/** The alerting domain's routes, jobs, channel functions and subscriptions. */
export const alertingPart: ManifestPart = {
  functions: [],
  routes: [],
  schedules: [],
  subscriptions: [],
};
