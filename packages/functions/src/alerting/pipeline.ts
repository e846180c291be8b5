import { createHash } from 'node:crypto';
import {
  decide,
  findRoute,
  fingerprint,
  groupKey,
  groupLabels,
  highestSeverity,
  inhibitedBy,
  isFiring,
  matchRoutes,
  notificationText,
  type ResolvedRoute,
  type StoredAlert,
  silencedBy,
  webhookPayload,
} from '@vigil/core/alerting';
import type { AlertGroupEvent, PostableAlert } from '@vigil/core/events';
import type { AlertGroup, Receiver } from '@vigil/dynamo';
import { onAlertGroup } from '../incidents/from-alerts';
import type { Platform } from '../platform/context';
import { logger } from '../platform/observability';
import { alerting, currentRouting, recipientAttributes } from './context';

/** Alertmanager's resolve_timeout: an external alert without endsAt is resolved after 5 minutes of silence. */
export const RESOLVE_TIMEOUT_MS = 5 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const groupId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 24);

/**
 * Takes alerts into the pipeline: stores them (merging with what is known, as Alertmanager
 * does), puts them into their groups with durable timers, and flushes groups that are due.
 */
export async function receiveAlerts(
  platform: Platform,
  alerts: PostableAlert[],
  now: number,
  source = 'api',
): Promise<number> {
  const repos = alerting();
  const routing = await currentRouting();
  for (const posted of alerts) {
    const labels = Object.fromEntries(Object.entries(posted.labels).filter(([, v]) => v !== ''));
    const fp = fingerprint(labels);
    const startsAt = posted.startsAt ? Date.parse(posted.startsAt) : now;
    const endsAt = posted.endsAt ? Date.parse(posted.endsAt) : now + RESOLVE_TIMEOUT_MS;
    const existing = await repos.alerts.get(fp);
    // A re-sent alert keeps its original start while it is still (or just was) firing.
    const keepStart =
      existing && Date.parse(existing.endsAt) >= startsAt
        ? Math.min(Date.parse(existing.startsAt), startsAt)
        : startsAt;
    const alert: StoredAlert = {
      id: fp,
      fingerprint: fp,
      labels,
      annotations: posted.annotations ?? {},
      startsAt: iso(keepStart),
      endsAt: iso(endsAt),
      updatedAt: iso(now),
      generatorURL: posted.generatorURL ?? '',
      source,
      version: existing?.version ?? 0,
    };
    await repos.alerts.upsert({ ...alert, version: alert.version + 1 });
    if (!isFiring(alert, now) && !existing) continue;
    for (const route of matchRoutes(routing.root, labels)) await ensureGroup(route, labels, keepStart, now);
  }
  await flushDueGroups(platform, now);
  return alerts.length;
}

async function ensureGroup(
  route: ResolvedRoute,
  labels: Record<string, string>,
  startsAt: number,
  now: number,
): Promise<void> {
  const repos = alerting();
  const group = groupLabels(route, labels);
  const key = groupKey(route, group);
  const id = groupId(key);
  // An alert older than group_wait does not wait again: its unsent group flushes at once.
  const stale = startsAt + route.groupWaitMs <= now;
  const existing = await repos.groups.get(id);
  if (existing) {
    if (stale && !existing.hasFlushed && Date.parse(existing.nextFlushAt) > now) {
      try {
        await repos.groups.upsert({ ...existing, nextFlushAt: iso(now), version: existing.version + 1 });
      } catch {
        // Changed concurrently (flushed or rescheduled): that writer's timer stands.
      }
    }
    return;
  }
  const firstFlush = stale ? now : now + route.groupWaitMs;
  try {
    await repos.groups.create({
      id,
      groupKey: key,
      routeId: route.id,
      receiver: route.receiver,
      groupLabels: group,
      createdAt: iso(now),
      nextFlushAt: iso(firstFlush),
      hasFlushed: false,
    });
  } catch {
    // Created concurrently by another caller: theirs stands.
  }
}

/** Flushes every group whose timer is due; the evaluate-alerts job calls this every minute. */
export async function flushDueGroups(platform: Platform, now: number): Promise<number> {
  const repos = alerting();
  const due: AlertGroup[] = [];
  let cursor: string | null = null;
  do {
    const page = await repos.groups.listBy('agroup-due', {
      sk: { lte: `${iso(now)}#~` },
      cursor,
      limit: 200,
    });
    due.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  if (!due.length) return 0;
  const routing = await currentRouting();
  const alerts = await repos.alerts.all();
  const silences = await repos.silences.all();
  const firing = alerts.filter((a) => isFiring(a, now));
  for (const group of due) {
    try {
      await flushGroup(platform, group, routing.root, routing.inhibit, alerts, firing, silences, now);
    } catch (error) {
      logger.error('group flush failed', { groupKey: group.groupKey, error: error as Error });
    }
  }
  return due.length;
}

async function flushGroup(
  platform: Platform,
  group: AlertGroup,
  root: ResolvedRoute,
  inhibit: Parameters<typeof inhibitedBy>[0],
  alerts: StoredAlert[],
  firingAll: StoredAlert[],
  silences: Awaited<ReturnType<ReturnType<typeof alerting>['silences']['all']>>,
  now: number,
): Promise<void> {
  const repos = alerting();
  const route = findRoute(root, group.routeId);
  if (!route || route.receiver !== group.receiver) {
    await repos.groups.delete(group.id);
    return;
  }
  const members = alerts.filter(
    (a) =>
      matchRoutes(root, a.labels).some((r) => r.id === route.id) &&
      groupKey(route, groupLabels(route, a.labels)) === group.groupKey,
  );
  // Silences and inhibitions are applied when the group sends, as Alertmanager does.
  const unmuted = members.filter(
    (a) =>
      !isFiring(a, now) ||
      (!silencedBy(silences, a.labels, now).length && !inhibitedBy(inhibit, a, firingAll).length),
  );
  const firing = unmuted.filter((a) => isFiring(a, now));
  const resolved = unmuted.filter((a) => !isFiring(a, now));
  const receiver = group.receiver === 'log-only' ? undefined : await repos.receivers.get(group.receiver);
  const sendResolved = receiver?.sendResolved ?? false;
  const nflogId = groupId(`${group.groupKey}|${group.receiver}`);
  const entry = await repos.nflog.get(nflogId);
  const reason = decide(
    entry,
    firing.map((a) => a.fingerprint),
    resolved.map((a) => a.fingerprint),
    sendResolved,
    route.repeatIntervalMs,
    now,
  );
  logger.info('group flush', {
    groupKey: group.groupKey,
    receiver: group.receiver,
    reason,
    firing: firing.length,
    resolved: resolved.length,
  });
  if (reason !== 'skip') {
    const payloadAlerts = sendResolved ? [...firing, ...resolved] : firing;
    if (payloadAlerts.length) await publish(platform, group, receiver, payloadAlerts, firing, now, reason);
    await repos.nflog.upsert({
      id: nflogId,
      groupKey: group.groupKey,
      receiver: group.receiver,
      firing: firing.map((a) => a.fingerprint),
      resolved: resolved.map((a) => a.fingerprint),
      sentAt: now,
      reason,
      version: (entry as { version?: number } | undefined)?.version ?? 1,
    });
    await notifyIncidents(platform, group, firing, resolved, now);
  }
  if (!members.some((a) => isFiring(a, now))) {
    await repos.groups.delete(group.id);
    return;
  }
  // Next flush on the group_interval tick after the one just served.
  let next = Date.parse(group.nextFlushAt) + route.groupIntervalMs;
  while (next <= now) next += route.groupIntervalMs;
  await repos.groups.upsert({
    ...group,
    nextFlushAt: iso(next),
    hasFlushed: true,
    version: group.version + 1,
  });
}

async function publish(
  platform: Platform,
  group: AlertGroup,
  receiver: Receiver | undefined,
  alerts: StoredAlert[],
  firing: StoredAlert[],
  now: number,
  reason: string,
): Promise<void> {
  if (!receiver) return;
  const payload = webhookPayload({
    groupKey: group.groupKey,
    receiver: group.receiver,
    groupLabels: group.groupLabels,
    alerts,
    now,
    externalURL: platform.env.VIGIL_EXTERNAL_URL ?? '',
  });
  const notificationId = createHash('sha256')
    .update(`${group.groupKey}|${group.receiver}|${now}|${reason}`)
    .digest('hex')
    .slice(0, 32);
  const severity = highestSeverity(firing.length ? firing : alerts);
  await platform.publisher.publish({
    topic: 'notifications',
    subject:
      `[${payload.status.toUpperCase()}] ${Object.values(group.groupLabels).join(' ') || 'Vigil alerts'}`.slice(
        0,
        100,
      ),
    message: { default: JSON.stringify(payload), email: notificationText(payload) },
    attributes: {
      severity,
      receiver: group.receiver,
      channel: receiver.type,
      notificationId,
      kind: 'alert',
      ...recipientAttributes(receiver),
    },
  });
}

async function notifyIncidents(
  platform: Platform,
  group: AlertGroup,
  firing: StoredAlert[],
  resolved: StoredAlert[],
  now: number,
): Promise<void> {
  const all = [...firing, ...resolved];
  const event: AlertGroupEvent = {
    groupKey: group.groupKey,
    receiver: group.receiver,
    status: firing.length ? 'firing' : 'resolved',
    severity: highestSeverity(firing.length ? firing : resolved),
    groupLabels: group.groupLabels,
    commonLabels: webhookPayload({
      groupKey: group.groupKey,
      receiver: group.receiver,
      groupLabels: group.groupLabels,
      alerts: all,
      now,
      externalURL: '',
    }).commonLabels,
    commonAnnotations: {},
    alerts: all.map((a) => ({
      fingerprint: a.fingerprint,
      status: isFiring(a, now) ? 'firing' : 'resolved',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
    })),
    at: now,
  };
  try {
    await onAlertGroup(platform, event);
  } catch (error) {
    // Opening an incident must never stand in the way of the notification itself.
    logger.error('incident hook failed', { groupKey: group.groupKey, error: error as Error });
  }
}
