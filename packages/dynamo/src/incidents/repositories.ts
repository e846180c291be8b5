import { ConflictError } from '@vigil/core';
import type { EscalationPolicy } from '@vigil/core/escalation';
import type { Incident, TimelineEvent } from '@vigil/core/incidents';
import type { Schedule } from '@vigil/core/oncall';
import type { Page, TableStore } from '@vigil/core/ports';
import { StateRepository, type Versioned } from '../repository';

/** Incidents, newest first; GSI2 finds the open incident of an alert group by its dedup key. */
export class IncidentRepository extends StateRepository<Incident> {
  constructor(store: TableStore) {
    super(store, {
      kind: 'incident',
      listKey: (i) => `${i.createdAt}#${i.id}`,
      indexes: (i) =>
        i.dedupKey && i.status !== 'closed' && i.status !== 'resolved'
          ? { GSI2PK: `incident-dedup#${i.dedupKey}`, GSI2SK: i.createdAt }
          : {},
    });
  }

  /** The unresolved incident opened for an alert group, if any. */
  async openForDedupKey(dedupKey: string): Promise<Incident | undefined> {
    return (await this.listBy(`incident-dedup#${dedupKey}`, { limit: 1, reverse: true })).items[0];
  }
}

const eventKey = (incidentId: string, seq: string) => ({ PK: `incident#${incidentId}`, SK: `event#${seq}` });

/** Each incident's timeline: one immutable item per event, in order. */
export class TimelineRepository {
  constructor(private readonly store: TableStore) {}

  /** Appends an event; appending the same `seq` twice keeps the first (idempotent retries). */
  async append(event: TimelineEvent): Promise<boolean> {
    try {
      await this.store.put(
        { ...eventKey(event.incidentId, event.seq), data: event },
        { condition: { kind: 'notExists' } },
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async list(incidentId: string): Promise<TimelineEvent[]> {
    const out: TimelineEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await this.store.query({
        pk: `incident#${incidentId}`,
        sk: { beginsWith: 'event#' },
        cursor,
        limit: 500,
      });
      out.push(...page.items.map((i) => i.data as TimelineEvent));
      cursor = page.cursor;
    } while (cursor);
    return out;
  }
}

export interface ContactMethod {
  type: 'email' | 'slack' | 'webhook';
  address: string;
}

export interface User extends Versioned {
  name: string;
  email: string | null;
  contacts: ContactMethod[];
  timeZone: string;
}

/** The due escalation step of one incident, found by the escalate job through GSI2. */
export class EscalationDueIndex {
  /** `escalation-due`, or `autoresolve-due` for incidents whose alerts went quiet. */
  constructor(
    private readonly store: TableStore,
    private readonly kind = 'escalation-due',
  ) {}

  async set(incidentId: string, escalationId: string, nextStepAt: string | null): Promise<void> {
    const key = { PK: `${this.kind}#${incidentId}`, SK: 'due' };
    if (!nextStepAt) await this.store.delete(key);
    else
      await this.store.put({
        ...key,
        GSI2PK: 'escalation-due',
        GSI2SK: `${nextStepAt}#${incidentId}`,
        incidentId,
        escalationId,
        nextStepAt,
      });
  }

  /** Incidents whose next step is due at `now`: cost grows with due incidents, not open ones. */
  async due(now: string, limit = 100): Promise<Array<{ incidentId: string; escalationId: string }>> {
    const page = await this.store.query({
      index: 'GSI2',
      pk: 'escalation-due',
      sk: { lte: `${now}#~` },
      limit,
    });
    return page.items.map((i) => ({
      incidentId: String(i.incidentId),
      escalationId: String(i.escalationId),
    }));
  }
}

export const escalationPolicyRepository = (store: TableStore) =>
  new StateRepository<EscalationPolicy>(store, { kind: 'escalation-policy' });
export const userRepository = (store: TableStore) => new StateRepository<User>(store, { kind: 'user' });
export const scheduleRepository = (store: TableStore) =>
  new StateRepository<Schedule>(store, { kind: 'schedule' });
