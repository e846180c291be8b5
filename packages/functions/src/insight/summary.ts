import { parseDuration } from '@vigil/core';
import { isFiring } from '@vigil/core/alerting';
import { meanResponseTimes } from '@vigil/core/incidents';
import { MAX_TRANSITIONS, type RuleStateItem, TRANSITION_WINDOW_MS } from '@vigil/dynamo';
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
  const [slos, alerts, allIncidents, anomalies, streams, ruleStates, benchmarks, rules] = await Promise.all([
    insight().slos.all(),
    alerting().alerts.all(),
    incidents().all(),
    insight().anomalies.list({ limit: 20, reverse: true }),
    logStore().streams(now),
    alerting().ruleStates.all(),
    insight().benchmarks.all(),
    alerting().rules.all(),
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
      flapping: flappingRules(ruleStates, rules, now),
    },
    platform: { env: platform().env.AWS_LAMBDA_FUNCTION_NAME ? 'aws' : 'local' },
  };
}

export type Summary = Awaited<ReturnType<typeof summary>>;

/** An alert that starts firing this many times in the window flaps. */
export const FLAP_THRESHOLD = 6;

/**
 * Rules with an alert that started firing at least FLAP_THRESHOLD times in the last day, from
 * the transitions the evaluator keeps on each rule's state. The count is the most of any one
 * alert of the rule (several alerts firing once each is not flapping).
 */
function flappingRules(
  states: RuleStateItem[],
  rules: Array<{ id: string; name: string; for: string; keepFiringFor: string }>,
  now: number,
) {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const out = [];
  for (const state of states) {
    const rule = byId.get(state.id);
    const transitions = (state.transitions ?? []).filter(([at]) => at > now - TRANSITION_WINDOW_MS);
    if (!rule || !transitions.length) continue;
    const fired = new Map<string, number>();
    let resolved = 0;
    for (const [, alert, to] of transitions)
      if (to === 'firing') fired.set(alert, (fired.get(alert) ?? 0) + 1);
      else resolved++;
    const most = Math.max(0, ...fired.values());
    if (most < FLAP_THRESHOLD) continue;
    out.push({
      rule: rule.id,
      name: rule.name,
      timesFired: most,
      // The evaluator keeps only the newest transitions: a full list means "at least".
      atLeast: (state.transitions ?? []).length >= MAX_TRANSITIONS,
      alertsFlapping: [...fired.values()].filter((n) => n >= FLAP_THRESHOLD).length,
      resolved,
      windowHours: TRANSITION_WINDOW_MS / 3_600_000,
      for: rule.for || '0s',
      keepFiringFor: rule.keepFiringFor || '0s',
    });
  }
  return out.sort((a, b) => b.timesFired - a.timesFired);
}

const FIVE_MINUTES = 5 * 60_000;
const TEN_MINUTES = 10 * 60_000;

/** What to change on a flapping rule: wait longer before firing, then hold longer before resolving. */
function flapAdvice(f: Summary['rules']['flapping'][number]): string {
  if (parseDuration(f.for) < FIVE_MINUTES)
    return `Set \`for: 5m\` (now \`for: ${f.for}\`) so the condition must hold five minutes before the alert fires; short spikes then stop paging.`;
  if (parseDuration(f.keepFiringFor) < TEN_MINUTES)
    return `Set \`keep_firing_for: 10m\` (now \`${f.keepFiringFor}\`) so short dips below the threshold do not resolve the alert and fire it again.`;
  return 'The condition keeps crossing its threshold despite `for` and `keep_firing_for`: smooth the expression (e.g. avg_over_time over 10m) or move the threshold away from normal values.';
}

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
  for (const f of s.rules.flapping)
    out.push({
      severity: f.timesFired >= 24 ? 'high' : 'medium',
      title: `Rule "${f.name}" flapped ${f.atLeast ? 'at least ' : ''}${f.timesFired} times in ${f.windowHours} h`,
      recommendation: flapAdvice(f),
      numbers: {
        rule: f.rule,
        timesFired: f.timesFired,
        resolved: f.resolved,
        alertsFlapping: f.alertsFlapping,
        windowHours: f.windowHours,
        for: f.for,
        keepFiringFor: f.keepFiringFor,
      },
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
