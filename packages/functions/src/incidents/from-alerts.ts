import type { AlertGroupEvent } from '@vigil/core/events';
import { EscalationDueIndex } from '@vigil/dynamo';
import type { Platform } from '../platform/context';
import { platform } from '../platform/context';
import { addEvent, applyAction, incidents, openIncident } from './service';

/**
 * Called by the notification pipeline for every flushed alert group: a firing group of
 * severity high or critical opens an incident (dedup key = group key) or joins the open one;
 * its resolution is recorded on the incident's timeline.
 */
export async function onAlertGroup(_platform: Platform, event: AlertGroupEvent): Promise<void> {
  const open = await incidents().openForDedupKey(event.groupKey);
  const at = new Date(event.at).toISOString();
  const names = [...new Set(event.alerts.map((a) => a.labels.alertname).filter(Boolean))].join(', ');
  if (event.status === 'firing') {
    if (open) {
      // A re-fire cancels a pending auto-resolve.
      await quietIndex().set(open.id, 'quiet', null);
      await addEvent(open.id, open.version, {
        type: 'alert.firing',
        actor: 'alertmanager',
        at,
        message: `${event.alerts.filter((a) => a.status === 'firing').length} alerts firing: ${names}`,
        data: { groupKey: event.groupKey },
      });
      return;
    }
    if (event.severity !== 'critical' && event.severity !== 'high') return;
    const first = event.alerts.find((a) => a.status === 'firing');
    await openIncident(
      {
        title: first?.annotations.summary ?? `${names} firing`,
        severity: event.severity === 'critical' ? 'SEV1' : 'SEV2',
        service: event.commonLabels.service ?? first?.labels.service ?? 'unknown',
        description: event.alerts
          .map((a) => `- ${a.labels.alertname ?? ''} ${a.annotations.summary ?? ''}`)
          .join('\n'),
        labels: event.groupLabels,
        dedupKey: event.groupKey,
        runbook: first?.annotations.runbook_url ?? null,
      },
      'alertmanager',
      event.at,
    );
    return;
  }
  if (!open) return;
  const quietMs = autoResolveMinutes(_platform) * 60_000;
  await addEvent(open.id, open.version, {
    type: 'alert.resolved',
    actor: 'alertmanager',
    at,
    message: `Alerts resolved: ${names}${quietMs ? `; the incident resolves itself if they stay quiet for ${quietMs / 60_000} minutes` : ''}`,
    data: { groupKey: event.groupKey },
  });
  if (quietMs) await quietIndex().set(open.id, 'quiet', new Date(event.at + quietMs).toISOString());
}

/** Incidents whose alerts went quiet, by when they resolve themselves (the escalate job serves it). */
export const quietIndex = () => new EscalationDueIndex(platform().tables.state, 'autoresolve-due');

/** VIGIL_AUTO_RESOLVE_MINUTES (default 30; 0 turns auto-resolve off). */
export function autoResolveMinutes(p: Platform): number {
  const n = Number(p.env.VIGIL_AUTO_RESOLVE_MINUTES ?? 30);
  return Number.isFinite(n) && n >= 0 ? n : 30;
}

/** Resolves incidents whose alerts stayed quiet for the whole quiet period. */
export async function autoResolveQuiet(now: number): Promise<number> {
  let resolved = 0;
  for (const { incidentId } of await quietIndex().due(new Date(now).toISOString(), 200)) {
    await quietIndex().set(incidentId, 'quiet', null);
    const incident = await incidents().get(incidentId);
    if (!incident || !['open', 'acknowledged', 'investigating'].includes(incident.status)) continue;
    try {
      await applyAction(incidentId, 'resolve', 'vigil (alerts quiet)', now);
      resolved++;
    } catch {
      // Changed meanwhile (someone resolved it): nothing to do.
    }
  }
  return resolved;
}
