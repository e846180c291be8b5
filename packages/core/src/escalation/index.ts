/**
 * Escalation: a policy of levels L1–L5 is snapshotted onto an incident when it opens; progress
 * is a cursor and `nextStepAt`, fenced by an escalation id so duplicate or late job runs do
 * nothing. Pure: every function takes `now`.
 */
export interface EscalationTarget {
  kind: 'user' | 'schedule' | 'receiver';
  id: string;
}

export interface EscalationLevel {
  /** Minutes after this level is notified before the next one is. */
  delayMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  id: string;
  name: string;
  levels: EscalationLevel[];
  /** How many times the whole chain runs again when nobody acknowledges. */
  repeat: number;
  /** Which incidents it covers (empty: all). */
  services: string[];
  /** SEV levels that start higher up the chain, e.g. { SEV1: 2 } starts SEV1 at L2. */
  startLevel: Record<string, number>;
  /** Minutes after which an acknowledgement times out and escalation resumes. */
  ackTimeoutMinutes: number;
  version: number;
}

/** The escalation state carried by an incident. */
export interface EscalationState {
  /** Changes whenever escalation restarts; scheduled steps carry it as a fence. */
  escalationId: string;
  policy: Omit<EscalationPolicy, 'version'>;
  /** Index of the next level to notify. */
  level: number;
  /** How many full passes through the levels are done. */
  loop: number;
  /** ISO time the next step is due, or null when escalation has stopped. */
  nextStepAt: string | null;
  stoppedReason: 'acknowledged' | 'resolved' | 'exhausted' | null;
}

/** The escalation of a newly opened incident: its first level is due at once. */
export function startEscalation(
  policy: EscalationPolicy,
  severity: string,
  escalationId: string,
  now: number,
): EscalationState {
  const { version: _, ...snapshot } = policy;
  const level = Math.min(Math.max(0, (policy.startLevel[severity] ?? 1) - 1), policy.levels.length - 1);
  return {
    escalationId,
    policy: snapshot,
    level,
    loop: 0,
    nextStepAt: new Date(now).toISOString(),
    stoppedReason: null,
  };
}

/** A due step: who to notify, and the state after it. */
export function step(
  state: EscalationState,
  now: number,
): { notify: EscalationTarget[]; levelNumber: number; next: EscalationState } | undefined {
  if (!state.nextStepAt || Date.parse(state.nextStepAt) > now) return undefined;
  const levels = state.policy.levels;
  const current = levels[state.level];
  let level = state.level + 1;
  let loop = state.loop;
  let nextStepAt: string | null = new Date(now + current.delayMinutes * 60_000).toISOString();
  let stoppedReason: EscalationState['stoppedReason'] = null;
  if (level >= levels.length) {
    level = 0;
    loop++;
    if (loop > state.policy.repeat) {
      nextStepAt = null;
      stoppedReason = 'exhausted';
    }
  }
  return {
    notify: current.targets,
    levelNumber: state.level + 1,
    next: { ...state, level, loop, nextStepAt, stoppedReason },
  };
}

/** Acknowledging pauses escalation until the acknowledgement times out. */
export function acknowledge(state: EscalationState, now: number): EscalationState {
  return {
    ...state,
    nextStepAt: new Date(now + state.policy.ackTimeoutMinutes * 60_000).toISOString(),
    stoppedReason: 'acknowledged',
  };
}

/** Resolving ends escalation. */
export function stop(state: EscalationState, reason: 'resolved'): EscalationState {
  return { ...state, nextStepAt: null, stoppedReason: reason };
}

/** Reopening starts the chain again from its first level under a new fence. */
export function restart(state: EscalationState, escalationId: string, now: number): EscalationState {
  return {
    ...state,
    escalationId,
    level: 0,
    loop: 0,
    nextStepAt: new Date(now).toISOString(),
    stoppedReason: null,
  };
}
