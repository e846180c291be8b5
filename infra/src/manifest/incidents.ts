import type { ManifestPart } from './types';

/** The incidents domain's routes, jobs, channel functions and subscriptions. */
export const incidentsPart: ManifestPart = {
  functions: [],
  routes: [],
  schedules: [],
  subscriptions: [],
};
