import type { Incident } from '@vigil/core/incidents';
import { needsReview, newReview, type Review } from '@vigil/core/reviews';
import { StateRepository, type Versioned } from '@vigil/dynamo';
import { platform } from '../platform/context';

export const reviews = () =>
  new StateRepository<Review>(platform().tables.state, {
    kind: 'review',
    listKey: (r) => `${r.due}#${r.id}`,
  });

/** A Markdown runbook. */
export interface Runbook extends Versioned {
  title: string;
  body: string;
  tags: string[];
  updatedAt: string;
}

export const runbooks = () => new StateRepository<Runbook>(platform().tables.state, { kind: 'runbook' });

/** Creates the review a resolved SEV1/SEV2 incident calls for (once). */
export async function ensureReview(incident: Incident, now: number): Promise<Review | undefined> {
  if (incident.status !== 'resolved' || !needsReview(incident)) return undefined;
  const existing = await reviews().get(incident.id);
  if (existing) return existing;
  try {
    return await reviews().create(newReview(incident, now));
  } catch {
    return reviews().get(incident.id);
  }
}
