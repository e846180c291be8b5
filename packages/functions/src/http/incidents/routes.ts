import { escalationPolicyRoutes } from './escalation-policies';
import { incidentCrud } from './incidents';
import { peopleRoutes } from './people';
import { reviewRoutes } from './reviews';

/** Incidents, reviews, runbooks, schedules, on-call and escalation policies (group `incidents`). */
export const incidentRoutes = {
  ...incidentCrud,
  ...peopleRoutes,
  ...escalationPolicyRoutes,
  ...reviewRoutes,
};
