import { createHmac } from 'node:crypto';
import type { WebhookPayload } from '@vigil/core/alerting';

/** `X-Vigil-Signature: sha256=<hex>` over `<timestamp>.<body>`, so receivers can reject forgeries and replays. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const SECTION_LIMIT = 3000;
const clip = (text: string, n = SECTION_LIMIT) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const EMOJI: Record<string, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '⚪' };

/** A Slack incoming-webhook message in Block Kit: within 50 blocks and 3,000 characters a section. */
export function slackMessage(p: WebhookPayload, dashboardUrl = ''): { text: string; blocks: unknown[] } {
  const firing = p.alerts.filter((a) => a.status === 'firing');
  const severity = p.commonLabels.severity ?? firing[0]?.labels.severity ?? 'info';
  const title = `${p.status === 'firing' ? (EMOJI[severity] ?? '🔴') : '✅'} [${p.status.toUpperCase()}${p.status === 'firing' ? `:${firing.length}` : ''}] ${p.commonLabels.alertname ?? (Object.values(p.groupLabels).join(' ') || 'alerts')}`;
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: clip(title, 150) } }];
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: clip(
          `*severity* ${severity} · *receiver* ${p.receiver} · ${Object.entries(p.groupLabels)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`,
        ),
      },
    ],
  });
  const shown = p.alerts.slice(0, 20);
  for (const a of shown) {
    const lines = [
      `*${a.status === 'firing' ? 'Firing' : 'Resolved'}* — ${a.annotations.summary ?? a.labels.alertname ?? ''}`,
    ];
    if (a.annotations.description) lines.push(a.annotations.description);
    lines.push(
      Object.entries(a.labels)
        .map(([k, v]) => `\`${k}=${v}\``)
        .join(' '),
    );
    const links = [
      a.annotations.runbook_url && `<${a.annotations.runbook_url}|Runbook>`,
      dashboardUrl && `<${dashboardUrl}|Dashboard>`,
      a.generatorURL && a.generatorURL.startsWith('http') && `<${a.generatorURL}|Source>`,
    ].filter(Boolean);
    if (links.length) lines.push(links.join(' · '));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n')) } });
  }
  if (p.alerts.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${p.alerts.length - shown.length} more alerts` }],
    });
  return { text: title, blocks: blocks.slice(0, 50) };
}

/** A PagerDuty Events API v2 event: trigger while firing, resolve when all resolved; dedup by group. */
export function pagerDutyEvent(p: WebhookPayload, routingKey: string): Record<string, unknown> {
  const severityMap: Record<string, string> = {
    critical: 'critical',
    high: 'error',
    medium: 'warning',
    low: 'info',
    info: 'info',
  };
  const firing = p.alerts.filter((a) => a.status === 'firing');
  const event: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: p.status === 'firing' ? 'trigger' : 'resolve',
    dedup_key: p.groupKey,
  };
  if (p.status === 'firing') {
    event.payload = {
      summary: clip(
        `[FIRING:${firing.length}] ${p.commonLabels.alertname ?? ''} ${firing[0]?.annotations.summary ?? ''}`.trim(),
        1024,
      ),
      source: p.commonLabels.service ?? p.commonLabels.instance ?? 'vigil',
      severity:
        severityMap[p.commonLabels.severity ?? firing[0]?.labels.severity ?? 'critical'] ?? 'critical',
      custom_details: {
        firing: firing.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt })),
        groupLabels: p.groupLabels,
      },
    };
    const runbook = firing.find((a) => a.annotations.runbook_url)?.annotations.runbook_url;
    if (runbook) event.links = [{ href: runbook, text: 'Runbook' }];
  }
  return event;
}
