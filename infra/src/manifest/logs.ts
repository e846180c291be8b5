import type { ManifestPart } from './types';

/** The logs domain's routes, jobs, channel functions and subscriptions. */
export const logsPart: ManifestPart = {
  functions: [],
  routes: [],
  schedules: [],
  subscriptions: [],
};
