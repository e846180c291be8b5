import type { AlertGroupEvent } from '@vigil/core/events';
import type { Platform } from '../platform/context';
import { addEvent, incidents, openIncident } from './service';

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
  if (open)
    await addEvent(open.id, open.version, {
      type: 'alert.resolved',
      actor: 'alertmanager',
      at,
      message: `Alerts resolved: ${names}`,
      data: { groupKey: event.groupKey },
    });
}
