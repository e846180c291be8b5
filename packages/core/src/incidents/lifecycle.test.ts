import { describe, expect, it } from 'vitest';
import {
  INCIDENT_ACTIONS,
  INCIDENT_STATUSES,
  type Incident,
  InvalidTransitionError,
  meanResponseTimes,
  transition,
} from './lifecycle';

const base: Incident = {
  id: 'i1',
  title: 't',
  severity: 'SEV2',
  service: 'api',
  description: '',
  labels: {},
  assignee: null,
  status: 'open',
  createdAt: '2026-11-20T12:00:00.000Z',
  updatedAt: '2026-11-20T12:00:00.000Z',
  createdBy: 'ops',
  acknowledgedAt: null,
  resolvedAt: null,
  closedAt: null,
  dedupKey: null,
  runbook: null,
  version: 1,
};

// Every (status, action) pair: the resulting status, or null where the action is refused.
const EXPECTED: Record<string, Record<string, string | null>> = {
  open: { acknowledge: 'acknowledged', investigate: null, resolve: 'resolved', close: null, reopen: null },
  acknowledged: {
    acknowledge: null,
    investigate: 'investigating',
    resolve: 'resolved',
    close: null,
    reopen: null,
  },
  investigating: { acknowledge: null, investigate: null, resolve: 'resolved', close: null, reopen: null },
  resolved: { acknowledge: null, investigate: null, resolve: null, close: 'closed', reopen: 'open' },
  closed: { acknowledge: null, investigate: null, resolve: null, close: null, reopen: null },
};

describe('incident transitions', () => {
  const pairs = INCIDENT_STATUSES.flatMap((status) =>
    INCIDENT_ACTIONS.map((action) => [status, action, EXPECTED[status][action]] as const),
  );

  it.each(pairs)('%s + %s → %s', (status, action, expected) => {
    const now = Date.parse('2026-11-20T12:10:00Z');
    if (expected === null) {
      expect(() => transition({ ...base, status }, action, 'alice', now)).toThrow(InvalidTransitionError);
      try {
        transition({ ...base, status }, action, 'alice', now);
      } catch (error) {
        expect((error as InvalidTransitionError).allowed).toEqual(
          INCIDENT_ACTIONS.filter((a) => EXPECTED[status][a] !== null),
        );
      }
      return;
    }
    const { incident, event } = transition({ ...base, status }, action, 'alice', now);
    expect(incident.status).toBe(expected);
    expect(event).toMatchObject({
      type: 'transition',
      action,
      from: status,
      to: expected,
      actor: 'alice',
      at: '2026-11-20T12:10:00.000Z',
    });
  });

  it('stamps acknowledgement and resolution times and computes MTTA/MTTR', () => {
    const acked = transition(base, 'acknowledge', 'a', Date.parse('2026-11-20T12:05:00Z')).incident;
    const resolved = transition(acked, 'resolve', 'a', Date.parse('2026-11-20T12:30:00Z')).incident;
    const other = transition(base, 'resolve', 'a', Date.parse('2026-11-20T12:20:00Z')).incident;
    expect(meanResponseTimes([resolved, other])).toEqual({ mttaMinutes: 12.5, mttrMinutes: 25, count: 2 });
    expect(transition(resolved, 'reopen', 'a', Date.parse('2026-11-20T13:00:00Z')).incident).toMatchObject({
      status: 'open',
      resolvedAt: null,
      acknowledgedAt: null,
    });
  });
});
