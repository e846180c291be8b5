import { randomUUID } from 'node:crypto';
import {
  type Incident,
  type IncidentAction,
  type IncidentSeverity,
  type TimelineEvent,
  transition,
} from '@vigil/core/incidents';
import { IncidentRepository, TimelineRepository } from '@vigil/dynamo';
import { platform } from '../platform/context';
import { dueIndex, escalationAfter, initialEscalation } from './escalation';
import { ensureReview } from './reviews';

export const incidents = () => new IncidentRepository(platform().tables.state);
export const timeline = () => new TimelineRepository(platform().tables.state);

/** Timeline positions sort by time; a transition's is tied to the version it produced. */
const seqFor = (at: string, suffix: string) => `${at}#${suffix}`;

export interface NewIncident {
  title: string;
  severity: IncidentSeverity;
  service: string;
  description?: string;
  labels?: Record<string, string>;
  assignee?: string | null;
  dedupKey?: string | null;
  runbook?: string | null;
}

/** Opens an incident and records who opened it. */
export async function openIncident(input: NewIncident, actor: string, now: number): Promise<Incident> {
  const at = new Date(now).toISOString();
  const escalation = await initialEscalation(input.service, input.severity, now);
  const incident = await incidents().create({
    id: `inc_${now.toString(36)}${randomUUID().slice(0, 6)}`,
    title: input.title,
    severity: input.severity,
    service: input.service,
    description: input.description ?? '',
    labels: input.labels ?? {},
    assignee: input.assignee ?? null,
    status: 'open',
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
    acknowledgedAt: null,
    resolvedAt: null,
    closedAt: null,
    dedupKey: input.dedupKey ?? null,
    runbook: input.runbook ?? null,
    escalation,
  });
  if (escalation) await dueIndex().set(incident.id, escalation.escalationId, escalation.nextStepAt);
  await timeline().append({
    incidentId: incident.id,
    seq: seqFor(at, 'v000001'),
    type: 'created',
    actor,
    at,
    message: `${actor} opened ${incident.severity} incident "${incident.title}"`,
    to: 'open',
  });
  return incident;
}

/**
 * Applies an action with a version-conditional write: of concurrent callers exactly one wins;
 * the others see the new status and get 409 with the allowed actions.
 */
export async function applyAction(
  id: string,
  action: IncidentAction,
  actor: string,
  now: number,
): Promise<Incident> {
  let event: Omit<TimelineEvent, 'seq'> | undefined;
  const updated = await incidents().update(
    id,
    (current) => {
      const result = transition(current, action, actor, now);
      event = result.event;
      return { ...result.incident, escalation: escalationAfter(action, current.escalation, now) };
    },
    { retries: 3 },
  );
  if (event)
    await timeline().append({
      ...event,
      seq: seqFor(event.at, `v${String(updated.version).padStart(6, '0')}`),
    });
  if (updated.escalation)
    await dueIndex().set(updated.id, updated.escalation.escalationId, updated.escalation.nextStepAt);
  if (action === 'resolve') {
    const review = await ensureReview(updated, now);
    if (review) {
      await addEvent(updated.id, updated.version, {
        type: 'review.created',
        actor: 'vigil',
        at: new Date(now).toISOString(),
        message: `Post-incident review created, due ${review.due}`,
      });
    }
  }
  return updated;
}

/**
 * Adds a note (or any other event) to an incident's timeline, after the transition that
 * produced `version` even when both happen in the same millisecond.
 */
export async function addEvent(
  incidentId: string,
  version: number,
  event: Omit<TimelineEvent, 'seq' | 'incidentId'>,
): Promise<TimelineEvent> {
  const full = {
    ...event,
    incidentId,
    seq: seqFor(event.at, `v${String(version).padStart(6, '0')}#${event.type}#${randomUUID().slice(0, 8)}`),
  };
  await timeline().append(full);
  return full;
}
