/**
 * One escalate tick with 10,000 open incidents of which 10 are due: read units and time, beside
 * a tick with 100 open incidents (10 due). Cost should follow due incidents, not open ones.
 * Runs on the in-memory store, which charges capacity units by DynamoDB's rules.
 */
import { FixedClock } from '@vigil/core';
import type { PublishInput } from '@vigil/core/ports';
import { EscalationDueIndex, IncidentRepository, MemoryTableStore } from '@vigil/dynamo';
import { configurePlatform, resetPlatform } from '@vigil/functions';
import { handler } from '../packages/functions/src/jobs/escalate';

async function tick(open: number, due: number) {
  resetPlatform();
  const now = Date.parse('2026-11-20T12:00:00Z');
  const state = new MemoryTableStore('state');
  const published: PublishInput[] = [];
  configurePlatform({
    clock: new FixedClock(now),
    tables: { state, metrics: new MemoryTableStore('metrics'), logs: new MemoryTableStore('logs') },
    publisher: {
      publish: async (m) => (published.push(m), { messageId: String(published.length) }),
      check: async () => undefined,
    },
  });
  const incidents = new IncidentRepository(state);
  const index = new EscalationDueIndex(state);
  const policy = {
    id: 'p',
    name: 'p',
    levels: [{ delayMinutes: 10, targets: [{ kind: 'receiver' as const, id: 'nobody' }] }],
    repeat: 0,
    services: [],
    startLevel: {},
    ackTimeoutMinutes: 30,
  };
  const items = [];
  for (let i = 0; i < open; i++) {
    const nextStepAt = new Date(i < due ? now - 60_000 : now + 3_600_000).toISOString();
    const at = new Date(now - 3_600_000).toISOString();
    items.push({
      id: `inc_${i}`,
      title: 't',
      severity: 'SEV3' as const,
      service: 'api',
      description: '',
      labels: {},
      assignee: null,
      status: 'open' as const,
      createdAt: at,
      updatedAt: at,
      createdBy: 'bench',
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      dedupKey: null,
      runbook: null,
      escalation: { escalationId: `e${i}`, policy, level: 0, loop: 0, nextStepAt, stoppedReason: null },
      version: 1,
    });
  }
  for (const incident of items) {
    await incidents.upsert(incident);
    await index.set(incident.id, incident.escalation.escalationId, incident.escalation.nextStepAt);
  }
  const before = state.consumed();
  const started = performance.now();
  const result = await handler({ time: new Date(now).toISOString() } as never);
  return {
    ms: Math.round((performance.now() - started) * 10) / 10,
    readUnits: state.consumed().readUnits - before.readUnits,
    result,
  };
}

const small = await tick(100, 10);
const large = await tick(10_000, 10);
console.log(
  JSON.stringify({
    bench: 'escalation',
    what: 'one escalate tick: read units and time with 10 due incidents',
    large: { open: 10_000, due: 10, ...large },
    baseline: { open: 100, due: 10, ...small },
    readUnitRatio: Math.round((large.readUnits / small.readUnits) * 100) / 100,
    goal: 'cost grows with due incidents, not open ones (ratio ≈ 1)',
    met: large.readUnits <= small.readUnits * 1.1,
  }),
);
