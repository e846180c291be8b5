import { isFiring } from '@vigil/core/alerting';
import { meanResponseTimes } from '@vigil/core/incidents';
import { alerting } from '../alerting/context';
import { incidents } from '../incidents/service';
import { logStore } from '../logs/ingest';
import { platform } from '../platform/context';
import { evaluateBenchmark } from './benchmarks';
import { insight } from './context';
import { withUnit } from './reports/format';
import { statusOf } from './slo-status';

/** Everything a dashboard or a report needs in one read: SLOs, alerts, incidents, anomalies, ingest. */
export async function summary(now: number) {
  const since = now - 7 * 86_400_000;
  const [slos, alerts, allIncidents, anomalies, streams, ruleStates, benchmarks] = await Promise.all([
    insight().slos.all(),
    alerting().alerts.all(),
    incidents().all(),
    insight().anomalies.list({ limit: 20, reverse: true }),
    logStore().streams(),
    alerting().ruleStates.all(),
    insight().benchmarks.all(),
  ]);
  const sloStatuses = await Promise.all(
    slos.map(async (s) => ({
      id: s.id,
      name: s.name,
      target: s.target,
      windowDays: s.windowDays,
      ...(await statusOf(s, now)),
    })),
  );
  const benchmarkRatings = await Promise.all(
    benchmarks
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (b) => {
        const e = await evaluateBenchmark(b, now);
        return {
          id: b.id,
          name: b.name,
          unit: b.unit,
          baseline: b.baseline,
          target: b.target,
          better: b.better,
          rating: e.rating,
          // The worst series decides: its value is the one shown.
          value: worstSeries(e.series, b.better)?.value ?? null,
        };
      }),
  );
  const firing = alerts.filter((a) => isFiring(a, now));
  const recent = allIncidents.filter((i) => Date.parse(i.createdAt) >= since);
  const open = allIncidents.filter((i) => ['open', 'acknowledged', 'investigating'].includes(i.status));
  const bySeverity = Object.fromEntries(
    ['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => [s, recent.filter((i) => i.severity === s).length]),
  );
  return {
    at: new Date(now).toISOString(),
    slos: sloStatuses,
    firingAlerts: {
      count: firing.length,
      alerts: firing
        .slice(0, 20)
        .map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt })),
    },
    openIncidents: {
      count: open.length,
      incidents: open.slice(0, 20).map((i) => ({
        id: i.id,
        title: i.title,
        severity: i.severity,
        status: i.status,
        createdAt: i.createdAt,
      })),
    },
    incidentsLast7Days: { bySeverity, ...meanResponseTimes(recent) },
    benchmarks: benchmarkRatings,
    recentAnomalies: anomalies.items,
    ingest: {
      logStreams: streams.length,
      logRecords: streams.reduce((n, s) => n + s.records, 0),
      logBytes: streams.reduce((n, s) => n + s.bytes, 0),
    },
    rules: {
      total: ruleStates.length,
      erroring: ruleStates.filter((r) => r.health === 'err').map((r) => ({ rule: r.id, error: r.lastError })),
    },
    platform: { env: platform().env.AWS_LAMBDA_FUNCTION_NAME ? 'aws' : 'local' },
  };
}

export type Summary = Awaited<ReturnType<typeof summary>>;

function worstSeries<S extends { value: number | null }>(
  series: S[],
  better: 'lower' | 'higher',
): S | undefined {
  const rated = series.filter((s) => s.value !== null);
  const sign = better === 'lower' ? 1 : -1;
  return rated.sort((a, b) => sign * ((b.value as number) - (a.value as number)))[0];
}

const SEVERITY_ORDER: Array<Finding['severity']> = ['critical', 'high', 'medium', 'low', 'info'];

export interface Finding {
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  recommendation: string;
  numbers: Record<string, number | string | null>;
}

/** Findings with a concrete recommendation, each backed by the numbers behind it. */
export function findings(s: Summary, extra: Finding[] = []): Finding[] {
  const out: Finding[] = [];
  for (const slo of s.slos) {
    if (slo.state === 'breached')
      out.push({
        severity: 'critical',
        title: `SLO "${slo.name}" is breached`,
        recommendation:
          'Freeze risky changes and work the reliability backlog until the error budget recovers.',
        numbers: { sli: slo.sli, target: slo.target, budgetRemaining: slo.budgetRemaining },
      });
    else if (slo.state === 'at_risk')
      out.push({
        severity: 'high',
        title: `SLO "${slo.name}" will exhaust its error budget${slo.hoursToExhaustion !== null ? ` in ${(slo.hoursToExhaustion / 24).toFixed(1)} days` : ''}`,
        recommendation:
          'Find what burns the budget (the burn rate shows how fast) and fix it before the budget is gone.',
        numbers: {
          budgetRemaining: slo.budgetRemaining,
          burnRate: slo.burnRate,
          hoursToExhaustion: slo.hoursToExhaustion,
        },
      });
  }
  for (const b of s.benchmarks)
    if (b.rating === 'below')
      out.push({
        severity: 'medium',
        title: `${b.name} is below its baseline: ${withUnit(b.value, b.unit)} against ${withUnit(b.baseline, b.unit)}`,
        recommendation:
          'Compare with the last period (GET /api/v1/analytics/compare) to find when it changed, and look at the deploys and incidents of that time.',
        numbers: { value: b.value, baseline: b.baseline, target: b.target },
      });
  if (s.incidentsLast7Days.mttaMinutes !== null && s.incidentsLast7Days.mttaMinutes > 15)
    out.push({
      severity: 'medium',
      title: `Mean time to acknowledge is ${s.incidentsLast7Days.mttaMinutes} minutes`,
      recommendation:
        'Check that escalation policies page the right people and that L1 delays are short (≤ 5 min for SEV1).',
      numbers: { mttaMinutes: s.incidentsLast7Days.mttaMinutes, incidents: s.incidentsLast7Days.count },
    });
  for (const r of s.rules.erroring)
    out.push({
      severity: 'medium',
      title: `Rule ${r.rule} cannot be evaluated`,
      recommendation: 'Fix the expression; a broken rule never fires.',
      numbers: { error: r.error },
    });
  if (s.firingAlerts.count > 10)
    out.push({
      severity: 'medium',
      title: `${s.firingAlerts.count} alerts are firing`,
      recommendation:
        'Many simultaneous alerts usually share a cause: add inhibition rules or group them by service.',
      numbers: { firing: s.firingAlerts.count },
    });
  out.push(...extra);
  // Most severe first; the order within a severity is kept.
  out.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  if (!out.length)
    out.push({
      severity: 'info',
      title: 'No reliability issues found',
      recommendation: 'Keep going; review SLO targets once a quarter.',
      numbers: { slos: s.slos.length },
    });
  return out;
}
