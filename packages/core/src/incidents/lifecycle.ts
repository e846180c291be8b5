import { ConflictError } from '../errors';

/** Incident statuses, in the order an incident normally moves through them. */
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'investigating', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_ACTIONS = ['acknowledge', 'investigate', 'resolve', 'close', 'reopen'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type IncidentSeverity = (typeof SEVERITIES)[number];

/** Which statuses each action may start from, and where it leads. */
export const TRANSITIONS: Record<IncidentAction, { from: readonly IncidentStatus[]; to: IncidentStatus }> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  investigate: { from: ['acknowledged'], to: 'investigating' },
  // Responders often fix something before anyone formally investigates it.
  resolve: { from: ['open', 'acknowledged', 'investigating'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved'], to: 'open' },
};

/** The actions allowed from a status. */
export function allowedActions(status: IncidentStatus): IncidentAction[] {
  return INCIDENT_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

/** An action that the incident's status does not allow (HTTP 409, naming what is allowed). */
export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly action: IncidentAction,
    readonly status: IncidentStatus,
  ) {
    const allowed = allowedActions(status);
    super(`cannot ${action} an incident that is ${status}; allowed: ${allowed.join(', ') || 'none'}`, {
      allowed,
    });
    this.name = 'InvalidTransitionError';
  }
}

export interface Incident {
  id: string;
  title: string;
  severity: IncidentSeverity;
  service: string;
  description: string;
  labels: Record<string, string>;
  assignee: string | null;
  status: IncidentStatus;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** The alert group this incident was opened for, if any. */
  dedupKey: string | null;
  runbook: string | null;
  /** The escalation snapshot and its progress, when a policy covers the incident. */
  escalation?: import('../escalation/index').EscalationState | null;
  version: number;
}

/** One immutable entry of an incident's timeline. */
export interface TimelineEvent {
  incidentId: string;
  /** Position in the timeline (the incident version it produced, or a note's sequence). */
  seq: string;
  type:
    | 'created'
    | 'transition'
    | 'note'
    | 'updated'
    | 'alert.firing'
    | 'alert.resolved'
    | 'escalated'
    | 'review.created';
  action?: IncidentAction;
  from?: IncidentStatus;
  to?: IncidentStatus;
  actor: string;
  at: string;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * Applies an action: the next incident and the timeline event it produces, or
 * InvalidTransitionError. Pure: time and actor are arguments.
 */
export function transition(
  incident: Incident,
  action: IncidentAction,
  actor: string,
  now: number,
): { incident: Incident; event: Omit<TimelineEvent, 'seq'> } {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(incident.status)) throw new InvalidTransitionError(action, incident.status);
  const at = new Date(now).toISOString();
  const next: Incident = {
    ...incident,
    status: rule.to,
    updatedAt: at,
    acknowledgedAt: action === 'acknowledge' ? at : action === 'reopen' ? null : incident.acknowledgedAt,
    resolvedAt: action === 'resolve' ? at : action === 'reopen' ? null : incident.resolvedAt,
    closedAt: action === 'close' ? at : incident.closedAt,
  };
  // Resolving without an explicit acknowledgement still ends the wait for one.
  if (action === 'resolve' && !next.acknowledgedAt) next.acknowledgedAt = at;
  return {
    incident: next,
    event: {
      incidentId: incident.id,
      type: 'transition',
      action,
      from: incident.status,
      to: rule.to,
      actor,
      at,
      message: `${actor} ${pastTense(action)} the incident`,
    },
  };
}

function pastTense(action: IncidentAction): string {
  return {
    acknowledge: 'acknowledged',
    investigate: 'started investigating',
    resolve: 'resolved',
    close: 'closed',
    reopen: 'reopened',
  }[action];
}

/** Minutes to acknowledge and to resolve, when known. */
export function responseTimes(incident: Pick<Incident, 'createdAt' | 'acknowledgedAt' | 'resolvedAt'>): {
  ttaMinutes: number | null;
  ttrMinutes: number | null;
} {
  const created = Date.parse(incident.createdAt);
  const minutes = (at: string | null) =>
    at ? Math.round(((Date.parse(at) - created) / 60_000) * 100) / 100 : null;
  return { ttaMinutes: minutes(incident.acknowledgedAt), ttrMinutes: minutes(incident.resolvedAt) };
}

/** Mean time to acknowledge and to resolve over many incidents (minutes). */
export function meanResponseTimes(incidents: Incident[]): {
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  count: number;
} {
  const times = incidents.map(responseTimes);
  const mean = (xs: Array<number | null>) => {
    const known = xs.filter((x): x is number => x !== null);
    return known.length ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 100) / 100 : null;
  };
  return {
    mttaMinutes: mean(times.map((t) => t.ttaMinutes)),
    mttrMinutes: mean(times.map((t) => t.ttrMinutes)),
    count: incidents.length,
  };
}
