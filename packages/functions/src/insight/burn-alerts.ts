import { fingerprint, isFiring } from '@vigil/core/alerting';
import type { PostableAlert } from '@vigil/core/events';
import { BURN_RATE_WINDOWS, burnAlerts, burnRate, type Slo, sli, withWindow } from '@vigil/core/slo';
import { alerting } from '../alerting/context';
import { receiveAlerts } from '../alerting/receive';
import type { Platform } from '../platform/context';
import { logger } from '../platform/observability';
import { insight } from './context';
import { scalar } from './slo-status';

/** A firing burn-rate alert stays valid for 4 evaluations (as rule alerts do). */
const VALID_FOR_MS = 4 * 60_000;
const round = (x: number) => Math.round(x * 100) / 100;

/** The labels of one SLO's burn-rate alert for one window pair. */
export function burnAlertLabels(slo: Slo, window: (typeof BURN_RATE_WINDOWS)[number]) {
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
 * Measures the burn rate of one SLO over the multi-window pairs. The short windows are cheap
 * and measured always; a long window only when its short window already burns too fast, since
 * both must exceed the factor (this keeps the 3-day query off the steady state).
 */
async function measure(slo: Slo, now: number): Promise<Record<string, number | null>> {
  const burns: Record<string, number | null> = {};
  const over = async (windows: string[]) => {
    const todo = [...new Set(windows)].filter((w) => !(w in burns));
    const values = await Promise.all(todo.map((w) => burnOver(slo, w, now)));
    todo.forEach((w, i) => {
      burns[w] = values[i];
    });
  };
  await over(BURN_RATE_WINDOWS.map((w) => w.short));
  await over(BURN_RATE_WINDOWS.filter((w) => (burns[w.short] ?? 0) > w.factor).map((w) => w.long));
  return burns;
}

/**
 * Raises the multi-window burn-rate alerts of every SLO through the alerting pipeline (so they
 * are routed, grouped, silenced and notified like any alert), and resolves those whose burn
 * stopped. Called every minute by the `evaluate-alerts` job; one SLO failing never stops the others.
 */
export async function raiseBurnAlerts(platform: Platform, now: number): Promise<{ burning: number }> {
  const alerts: PostableAlert[] = [];
  let burning = 0;
  for (const slo of await insight().slos.all()) {
    try {
      const burns = await measure(slo, now);
      const firing = new Set(burnAlerts(burns).map((w) => w.long));
      for (const w of BURN_RATE_WINDOWS) {
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
            endsAt: new Date(now + VALID_FOR_MS).toISOString(),
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
