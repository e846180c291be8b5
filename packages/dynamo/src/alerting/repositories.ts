import type {
  NotificationEntry,
  RoutingConfig,
  Rule,
  RuleState,
  Silence,
  StoredAlert,
} from '@vigil/core/alerting';
import type { TableStore } from '@vigil/core/ports';
import { StateRepository, type Versioned } from '../repository';

const DAY = 86_400_000;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** A notification target. */
export interface Receiver extends Versioned {
  name: string;
  type: 'slack' | 'email' | 'webhook' | 'pagerduty';
  url?: string;
  /** HMAC key for webhook signatures. */
  secret?: string;
  to?: string[];
  routingKey?: string;
  sendResolved: boolean;
  createdAt: string;
}

/** The route tree and inhibit rules, one item. */
export interface RoutingDocument extends Versioned {
  config: RoutingConfig;
  updatedAt: string;
}

/** An alert group with its durable flush timer (GSI2 finds the due ones). */
export interface AlertGroup extends Versioned {
  groupKey: string;
  routeId: string;
  receiver: string;
  groupLabels: Record<string, string>;
  createdAt: string;
  /** ISO time of the next flush. */
  nextFlushAt: string;
  hasFlushed: boolean;
}

export interface NotificationLogItem extends Versioned, NotificationEntry {
  groupKey: string;
  receiver: string;
  reason: string;
}

/** One alert of a rule starting to fire or resolving: when, which alert (fingerprint), to what. */
export type RuleTransition = [at: number, alert: string, to: 'firing' | 'resolved'];

/** How long a rule's transitions are kept on its state, for the flapping insight. */
export const TRANSITION_WINDOW_MS = DAY;
/** At most this many transitions are kept (the newest), so a rule's state item stays small. */
export const MAX_TRANSITIONS = 64;

export interface RuleStateItem extends Versioned, RuleState {
  /**
   * The rule's alerts' recent changes between firing and resolved, oldest first: kept for a day
   * and bounded in number, so flapping shows without a write or read of its own.
   */
  transitions?: RuleTransition[];
}

export const alertRepository = (s: TableStore) =>
  new StateRepository<StoredAlert>(s, {
    kind: 'alert',
    expiresAt: (a) => seconds(Date.parse(a.endsAt) + DAY),
  });
export const receiverRepository = (s: TableStore) => new StateRepository<Receiver>(s, { kind: 'receiver' });
export const routingRepository = (s: TableStore) =>
  new StateRepository<RoutingDocument>(s, { kind: 'routing' });
export const silenceRepository = (s: TableStore) =>
  new StateRepository<Silence>(s, {
    kind: 'silence',
    listKey: (x) => `${x.startsAt}#${x.id}`,
    expiresAt: (x) => seconds(Date.parse(x.endsAt) + 5 * DAY),
  });
export const groupRepository = (s: TableStore) =>
  new StateRepository<AlertGroup>(s, {
    kind: 'agroup',
    indexes: (g) => ({ GSI2PK: 'agroup-due', GSI2SK: `${g.nextFlushAt}#${g.id}` }),
  });
export const nflogRepository = (s: TableStore) =>
  new StateRepository<NotificationLogItem>(s, {
    kind: 'nflog',
    expiresAt: (n) => seconds(n.sentAt + 5 * DAY),
  });
export const ruleRepository = (s: TableStore) =>
  new StateRepository<Rule>(s, { kind: 'rule', listKey: (r) => `${r.name}#${r.id}` });
export const ruleStateRepository = (s: TableStore) =>
  new StateRepository<RuleStateItem>(s, { kind: 'rulestate' });
