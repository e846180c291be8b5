import { compareLabels } from './matchers';

export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** An alert as the notification pipeline keeps it; firing while `endsAt` is in the future. */
export interface StoredAlert {
  id: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  /** Where it came from: `api` (POST /api/v2/alerts) or `rule:<id>`. */
  source: string;
  version: number;
}

export const isFiring = (a: Pick<StoredAlert, 'endsAt'>, now: number) => Date.parse(a.endsAt) > now;

/** The most severe severity label among alerts (unknown severities count as info). */
export function highestSeverity(alerts: Array<{ labels: Record<string, string> }>): AlertSeverity {
  let best = ALERT_SEVERITIES.length - 1;
  for (const a of alerts) {
    const i = ALERT_SEVERITIES.indexOf(a.labels.severity as AlertSeverity);
    if (i >= 0 && i < best) best = i;
  }
  return ALERT_SEVERITIES[best];
}

/** Alertmanager's webhook payload, version 4. */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }>;
}

function common(maps: Array<Record<string, string>>): Record<string, string> {
  if (!maps.length) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  return out;
}

/** Builds the v4 payload of a flush: alerts sorted by labels, firing first in status. */
export function webhookPayload(input: {
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: StoredAlert[];
  now: number;
  externalURL: string;
}): WebhookPayload {
  const alerts = [...input.alerts].sort((a, b) => compareLabels(a.labels, b.labels));
  const firing = alerts.some((a) => isFiring(a, input.now));
  return {
    version: '4',
    groupKey: input.groupKey,
    truncatedAlerts: 0,
    status: firing ? 'firing' : 'resolved',
    receiver: input.receiver,
    groupLabels: input.groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: input.externalURL,
    alerts: alerts.map((a) => ({
      status: isFiring(a, input.now) ? 'firing' : 'resolved',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: isFiring(a, input.now) ? '0001-01-01T00:00:00Z' : a.endsAt,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
  };
}

/** The plain-text rendering used for email. */
export function notificationText(p: WebhookPayload): string {
  const lines = [
    `[${p.status.toUpperCase()}${p.status === 'firing' ? `:${p.alerts.filter((a) => a.status === 'firing').length}` : ''}] ${Object.values(p.groupLabels).join(' ') || 'alerts'}`,
    '',
  ];
  for (const a of p.alerts) {
    lines.push(
      `- ${a.status.toUpperCase()} ${a.labels.alertname ?? ''} (${Object.entries(a.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')})`,
    );
    if (a.annotations.summary) lines.push(`  ${a.annotations.summary}`);
    if (a.annotations.description) lines.push(`  ${a.annotations.description}`);
    if (a.annotations.runbook_url) lines.push(`  Runbook: ${a.annotations.runbook_url}`);
    lines.push(`  Since ${a.startsAt}${a.status === 'resolved' ? `, resolved ${a.endsAt}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
