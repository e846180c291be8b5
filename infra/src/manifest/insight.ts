import type { ManifestPart } from './types';

/** The insight domain's routes, jobs, channel functions and subscriptions. */
export const insightPart: ManifestPart = {
  functions: [],
  routes: [],
  schedules: [],
  subscriptions: [],
};
