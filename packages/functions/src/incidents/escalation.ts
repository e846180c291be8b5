import { randomUUID } from 'node:crypto';
import { notificationText, webhookPayload } from '@vigil/core/alerting';
import {
  acknowledge,
  type EscalationPolicy,
  type EscalationState,
  type EscalationTarget,
  restart,
  startEscalation,
  step,
  stop,
} from '@vigil/core/escalation';
import type { Incident, IncidentAction } from '@vigil/core/incidents';
import { onCallAt } from '@vigil/core/oncall';
import {
  EscalationDueIndex,
  escalationPolicyRepository,
  receiverRepository,
  scheduleRepository,
  userRepository,
} from '@vigil/dynamo';
import type { Platform } from '../platform/context';
import { platform } from '../platform/context';
import { logger } from '../platform/observability';

export const policies = () => escalationPolicyRepository(platform().tables.state);
export const dueIndex = () => new EscalationDueIndex(platform().tables.state);

/** The policy covering an incident: one naming its service, else one covering all services. */
export async function policyFor(service: string): Promise<EscalationPolicy | undefined> {
  const all = await policies().all();
  return all.find((p) => p.services.includes(service)) ?? all.find((p) => p.services.length === 0);
}

/** The escalation an incident opens with (snapshot of the policy), if any policy covers it. */
export async function initialEscalation(
  service: string,
  severity: string,
  now: number,
): Promise<EscalationState | null> {
  const policy = await policyFor(service);
  return policy && policy.levels.length ? startEscalation(policy, severity, randomUUID(), now) : null;
}

/** How an incident action changes its escalation. */
export function escalationAfter(
  action: IncidentAction,
  state: EscalationState | null | undefined,
  now: number,
): EscalationState | null | undefined {
  if (!state) return state;
  switch (action) {
    case 'acknowledge':
      return acknowledge(state, now);
    case 'resolve':
    case 'close':
      return stop(state, 'resolved');
    case 'reopen':
      return restart(state, randomUUID(), now);
    default:
      return state;
  }
}

/** Who a target reaches right now: users directly, schedules through who is on call. */
async function resolveTarget(
  target: EscalationTarget,
  now: number,
): Promise<Array<{ receiver?: string; channel: string; user?: string }>> {
  const state = platform().tables.state;
  if (target.kind === 'receiver') {
    const receiver = await receiverRepository(state).get(target.id);
    return receiver ? [{ receiver: receiver.name, channel: receiver.type }] : [];
  }
  let userId = target.id;
  if (target.kind === 'schedule') {
    const schedule = await scheduleRepository(state).get(target.id);
    const who = schedule ? onCallAt(schedule, now).user : null;
    if (!who) return [];
    userId = who;
  }
  const user = await userRepository(state).get(userId);
  if (!user) return [];
  const out: Array<{ receiver?: string; channel: string; user?: string }> = [];
  for (const c of user.contacts) {
    if (c.type === 'email') out.push({ channel: 'email', user: user.id });
    else out.push({ receiver: c.address, channel: c.type === 'slack' ? 'slack' : 'webhook', user: user.id });
  }
  if (!out.length && user.email) out.push({ channel: 'email', user: user.id });
  return out;
}

/** Publishes one escalation level's notifications. */
export async function notifyLevel(
  p: Platform,
  incident: Incident,
  targets: EscalationTarget[],
  level: number,
  now: number,
): Promise<string[]> {
  const at = new Date(now).toISOString();
  const severity =
    incident.severity === 'SEV1'
      ? 'critical'
      : incident.severity === 'SEV2'
        ? 'high'
        : incident.severity === 'SEV3'
          ? 'medium'
          : 'low';
  const payload = webhookPayload({
    groupKey: `incident/${incident.id}`,
    receiver: 'escalation',
    groupLabels: { incident: incident.id },
    alerts: [
      {
        id: incident.id,
        fingerprint: incident.id,
        labels: {
          alertname: incident.title,
          severity,
          service: incident.service,
          incident: incident.id,
          escalation_level: `L${level}`,
        },
        annotations: {
          summary: `${incident.severity} ${incident.title} (${incident.status}) — escalated to L${level}`,
          ...(incident.runbook && { runbook_url: incident.runbook }),
        },
        startsAt: incident.createdAt,
        endsAt: new Date(now + 3_600_000).toISOString(),
        updatedAt: at,
        generatorURL: `/api/v1/incidents/${incident.id}`,
        source: 'incident',
        version: 1,
      },
    ],
    now,
    externalURL: p.env.VIGIL_EXTERNAL_URL ?? '',
  });
  const reached: string[] = [];
  for (const target of targets) {
    for (const dest of await resolveTarget(target, now)) {
      await p.publisher.publish({
        topic: 'notifications',
        subject: `[L${level}] ${incident.severity} ${incident.title}`.slice(0, 100),
        message: { default: JSON.stringify(payload), email: notificationText(payload) },
        attributes: {
          severity,
          channel: dest.channel,
          receiver: dest.receiver ?? `user:${dest.user}`,
          notificationId: `${incident.id}-${incident.escalation?.escalationId}-${level}-${now}`,
          kind: 'escalation',
          ...(dest.user && { user: dest.user }),
        },
      });
      reached.push(dest.user ? `${dest.user} (${dest.channel})` : `${dest.receiver} (${dest.channel})`);
    }
  }
  if (!reached.length) logger.warn('escalation level reached nobody', { incident: incident.id, level });
  return reached;
}

export type { EscalationState };
export { step };
