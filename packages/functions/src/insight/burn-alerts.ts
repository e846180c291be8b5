import { fingerprint, isFiring } from '@vigil/core/alerting';
import type { PostableAlert } from '@vigil/core/events';
import {
  type BurnRateWindow,
  burnAlerts,
  burnRate,
  burnWindowsDue,
  type Slo,
  sli,
  withWindow,
} from '@vigil/core/slo';
import { alerting } from '../alerting/context';
import { receiveAlerts } from '../alerting/receive';
import type { Platform } from '../platform/context';
import { logger } from '../platform/observability';
import { insight } from './context';
import { scalar } from './slo-status';

/** A firing burn-rate alert stays valid until 4 minutes after its pair's next evaluation. */
const validFor = (w: BurnRateWindow) => (w.everyMinutes + 4) * 60_000;
const round = (x: number) => Math.round(x * 100) / 100;

/** The labels of one SLO's burn-rate alert for one window pair. */
export function burnAlertLabels(slo: Slo, window: BurnRateWindow) {
  return {
    alertname: 'SLOErrorBudgetBurn',
    slo: slo.id,
    service: slo.service,
    window: `${window.long}/${window.short}`,
    severity: window.severity,
  };
}

async function burnOver(slo: Slo, window: string, now: number): Promise<number | null> {
  const [good, total] = await Promise.all([
    scalar(withWindow(slo.good, window), now),
    scalar(withWindow(slo.total, window), now),
  ]);
  const value = sli(good ?? 0, total ?? 0);
  return value === null ? null : burnRate(value, slo.target);
}

/**
 * Measures the burn rate of one SLO over the due window pairs: the short windows always, a
 * long window only when its short window already burns too fast, since both must exceed the
 * factor (this keeps the 3-day query off the steady state).
 */
async function measure(slo: Slo, due: BurnRateWindow[], now: number): Promise<Record<string, number | null>> {
  const burns: Record<string, number | null> = {};
  const over = async (windows: string[]) => {
    const todo = [...new Set(windows)].filter((w) => !(w in burns));
    const values = await Promise.all(todo.map((w) => burnOver(slo, w, now)));
    todo.forEach((w, i) => {
      burns[w] = values[i];
    });
  };
  await over(due.map((w) => w.short));
  await over(due.filter((w) => (burns[w.short] ?? 0) > w.factor).map((w) => w.long));
  return burns;
}

/**
 * Raises the multi-window burn-rate alerts of every SLO through the alerting pipeline (so they
 * are routed, grouped, silenced and notified like any alert), and resolves those whose burn
 * stopped. Called every 5 minutes by the `evaluate-slos` job; each pair is checked on its own
 * cadence (`everyMinutes`). One SLO failing never stops the others.
 */
export async function raiseBurnAlerts(platform: Platform, now: number): Promise<{ burning: number }> {
  const alerts: PostableAlert[] = [];
  let burning = 0;
  const due = burnWindowsDue(now);
  for (const slo of await insight().slos.all()) {
    try {
      const burns = await measure(slo, due, now);
      const firing = new Set(burnAlerts(burns).map((w) => w.long));
      // Pairs not due keep their last verdict: their alerts stay valid until the next check.
      for (const w of due) {
        const labels = burnAlertLabels(slo, w);
        const generatorURL = `/api/v1/slos/${slo.id}`;
        if (firing.has(w.long)) {
          burning++;
          const long = round(burns[w.long] as number);
          const short = round(burns[w.short] as number);
          alerts.push({
            labels,
            annotations: {
              summary: `${slo.name} burns its error budget at ${long}× over ${w.long} (${short}× over ${w.short}), above ${w.factor}×`,
              description: `At ${long}× the ${slo.windowDays}-day error budget lasts ${round((slo.windowDays * 24) / long)} hours.`,
            },
            endsAt: new Date(now + validFor(w)).toISOString(),
            generatorURL,
          });
          continue;
        }
        const previous = await alerting().alerts.get(fingerprint(labels));
        if (previous && isFiring(previous, now))
          alerts.push({
            labels,
            annotations: previous.annotations,
            startsAt: previous.startsAt,
            endsAt: new Date(now).toISOString(),
            generatorURL,
          });
      }
    } catch (error) {
      logger.warn('could not measure SLO burn rates', { slo: slo.id, error: error as Error });
    }
  }
  if (alerts.length) await receiveAlerts(platform, alerts, now);
  return { burning };
}

/** The burn-rate alerts of one SLO firing now, as the alerting pipeline holds them. */
export async function firingBurnAlerts(sloId: string, now: number) {
  return (await alerting().alerts.all())
    .filter((a) => a.labels.alertname === 'SLOErrorBudgetBurn' && a.labels.slo === sloId && isFiring(a, now))
    .map((a) => ({
      window: a.labels.window,
      severity: a.labels.severity,
      startsAt: a.startsAt,
      summary: a.annotations.summary ?? '',
    }))
    .sort((a, b) => a.window.localeCompare(b.window));
}
