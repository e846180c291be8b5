import { ConflictError } from '@vigil/core';
import { dueIndex, notifyLevel, step } from '../incidents/escalation';
import { autoResolveQuiet } from '../incidents/from-alerts';
import { addEvent, incidents } from '../incidents/service';
import { logger } from '../platform/observability';
import { createJobHandler } from './toolkit';

/**
 * Every minute: notify the next level of every incident whose escalation step is due. Only
 * due incidents are read (an index on the next step time), and each step is fenced by the
 * incident's escalation id and version, so a duplicate or late run does nothing.
 */
export const handler = createJobHandler('escalate', async ({ platform }) => {
  const now = platform.clock.now();
  const due = await dueIndex().due(new Date(now).toISOString(), 500);
  let notified = 0;
  for (const { incidentId, escalationId } of due) {
    const incident = await incidents().get(incidentId);
    const state = incident?.escalation;
    if (!incident || !state || state.escalationId !== escalationId) {
      await dueIndex().set(incidentId, escalationId, null);
      continue;
    }
    const next = step(state, now);
    if (!next) {
      await dueIndex().set(incidentId, state.escalationId, state.nextStepAt);
      continue;
    }
    try {
      // Claim the step first: only the run whose conditional write wins sends.
      const claimed = await incidents().save({
        ...incident,
        escalation: { ...next.next, stoppedReason: next.next.stoppedReason },
      });
      const reached = await notifyLevel(platform, claimed, next.notify, next.levelNumber, now);
      await addEvent(claimed.id, claimed.version, {
        type: 'escalated',
        actor: 'vigil',
        at: new Date(now).toISOString(),
        message: `Escalated to L${next.levelNumber}: ${reached.join(', ') || 'nobody reachable'}`,
        data: { level: next.levelNumber, reached },
      });
      await dueIndex().set(claimed.id, next.next.escalationId, next.next.nextStepAt);
      notified++;
    } catch (error) {
      if (error instanceof ConflictError) continue; // another run, or a human, got there first
      logger.error('escalation step failed', { incidentId, error: error as Error });
      throw error;
    }
  }
  const autoResolved = await autoResolveQuiet(now);
  return { due: due.length, notified, autoResolved };
});
