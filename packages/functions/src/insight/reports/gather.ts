import { meanResponseTimes } from '@vigil/core/incidents';
import { evaluateRange } from '@vigil/core/promql';
import { comparePeriods, forecastSeries } from '@vigil/core/trends';
import { ApiKeyRepository } from '@vigil/dynamo';
import { incidents } from '../../incidents/service';
import { metricStores } from '../../metrics/context';
import { platform } from '../../platform/context';
import { insight } from '../context';
import type { Summary } from '../summary';
import { usage } from '../usage';
import { duration, num, pct, when, withUnit } from './format';
import type { Section } from './model';

const DAY = 86_400_000;
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** Context every section builder gets: the period and the one-call summary at its end. */
export interface Period {
  start: number;
  end: number;
  days: number;
  summary: Summary;
}

function sloSection(s: Summary): Section {
  return {
    id: 'slos',
    heading: 'Service level objectives',
    table: {
      columns: ['SLO', 'target', 'state', 'SLI', 'budget left', 'burn rate (1 h)', 'budget lasts'],
      rows: s.slos.map((x) => [
        x.name,
        pct(x.target),
        x.state,
        pct(x.sli, 3),
        x.budgetRemaining === null ? null : `${Math.round(x.budgetRemaining * 100)} %`,
        x.burnRate === null ? null : `${num(x.burnRate)}×`,
        duration(x.hoursToExhaustion),
      ]),
    },
    lines: s.slos.length ? [] : ['No SLOs are defined.'],
  };
}

function benchmarkSection(s: Summary): Section {
  return {
    id: 'benchmarks',
    heading: 'Benchmarks',
    lines: s.benchmarks.length ? [] : ['No benchmarks are defined.'],
    table: {
      columns: ['benchmark', 'value', 'baseline', 'target', 'rating'],
      rows: s.benchmarks.map((b) => [
        b.name,
        withUnit(b.value, b.unit),
        withUnit(b.baseline, b.unit),
        withUnit(b.target, b.unit),
        b.rating,
      ]),
    },
  };
}

async function incidentStats(p: Period) {
  const inPeriod = (await incidents().all()).filter((i) => {
    const at = Date.parse(i.createdAt);
    return at > p.start && at <= p.end;
  });
  const bySeverity = SEVERITIES.map((sev): [string, number] => [
    sev,
    inPeriod.filter((i) => i.severity === sev).length,
  ]);
  return { inPeriod, bySeverity, ...meanResponseTimes(inPeriod) };
}

const count = <T extends string>(xs: T[], value: T) => xs.filter((x) => x === value).length;

/** Executive: promises kept (SLOs), incidents and response times, benchmarks, what to do. */
export async function executive(p: Period): Promise<{ headline: string[]; sections: Section[] }> {
  const s = p.summary;
  const states = s.slos.map((x) => x.state);
  const ratings = s.benchmarks.map((b) => b.rating);
  const inc = await incidentStats(p);
  const headline = [
    `SLOs: ${count(states, 'met')} met, ${count(states, 'at_risk')} at risk, ${count(states, 'breached')} breached, ${count(states, 'no_data')} without data.`,
    `Incidents: ${inc.count} opened (${inc.bySeverity.map(([k, v]) => `${k} ${v}`).join(', ')}); mean time to acknowledge ${num(inc.mttaMinutes)} min, to resolve ${num(inc.mttrMinutes)} min; ${s.openIncidents.count} open now.`,
    `Alerts firing now: ${s.firingAlerts.count}.`,
    `Benchmarks: ${count(ratings, 'exceeds')} exceed, ${count(ratings, 'meets')} meet, ${count(ratings, 'below')} below, ${count(ratings, 'no_data')} without data.`,
  ];
  const open = s.openIncidents.incidents;
  return {
    headline,
    sections: [
      sloSection(s),
      {
        id: 'incidents',
        heading: 'Incidents',
        charts: [{ kind: 'bars', title: 'Incidents opened by severity', values: inc.bySeverity }],
        lines: open.length ? ['Open now:'] : ['No incident is open.'],
        table: {
          columns: ['incident', 'severity', 'status', 'opened'],
          rows: open.map((i) => [i.title, i.severity, i.status, when(i.createdAt)]),
        },
      },
      benchmarkSection(s),
    ],
  };
}

/** Performance: benchmarks, how fast budgets burn, what is firing, rule health, anomalies. */
export async function performance(p: Period): Promise<{ headline: string[]; sections: Section[] }> {
  const s = p.summary;
  const anomalies = s.recentAnomalies.filter((a) => {
    const at = Date.parse(a.at);
    return at > p.start && at <= p.end;
  });
  const burning = s.slos.filter((x) => x.burnRate !== null && x.burnRate > 1);
  return {
    headline: [
      `${s.benchmarks.filter((b) => b.rating === 'below').length} of ${s.benchmarks.length} benchmarks are below their baseline.`,
      `${burning.length} of ${s.slos.length} SLOs burn their error budget faster than it accrues.`,
      `Alerts firing: ${s.firingAlerts.count}; rules failing to evaluate: ${s.rules.erroring.length} of ${s.rules.total}.`,
    ],
    sections: [
      benchmarkSection(s),
      {
        id: 'burn',
        heading: 'Error budget burn',
        table: {
          columns: ['SLO', 'burn rate (1 h)', 'budget left', 'budget lasts', 'state'],
          rows: s.slos.map((x) => [
            x.name,
            x.burnRate === null ? null : `${num(x.burnRate)}×`,
            x.budgetRemaining === null ? null : `${Math.round(x.budgetRemaining * 100)} %`,
            duration(x.hoursToExhaustion),
            x.state,
          ]),
        },
      },
      {
        id: 'alerts',
        heading: 'Alerts firing now',
        lines: s.firingAlerts.count ? [] : ['Nothing is firing.'],
        table: {
          columns: ['alert', 'severity', 'labels', 'since'],
          rows: s.firingAlerts.alerts.map((a) => [
            a.labels.alertname ?? '',
            a.labels.severity ?? '',
            labelText(
              Object.fromEntries(
                Object.entries(a.labels).filter(([k]) => !['alertname', 'severity'].includes(k)),
              ),
            ),
            when(a.startsAt),
          ]),
        },
      },
      {
        id: 'anomalies',
        heading: 'Anomalies',
        lines: [`${anomalies.length} anomalies detected in the period (newest 20 considered).`],
        charts: anomalies.length
          ? [
              {
                kind: 'bars',
                title: 'Anomalies by severity',
                values: (['critical', 'high', 'medium', 'low'] as const).map((sev): [string, number] => [
                  sev,
                  anomalies.filter((a) => a.severity === sev).length,
                ]),
              },
            ]
          : [],
      },
    ],
  };
}

/**
 * Trend: every benchmark's query over the period: its slope, the change against the period
 * before (with significance), and where the forecast takes it relative to the baseline.
 */
export async function trend(p: Period): Promise<{ headline: string[]; sections: Section[] }> {
  const stepMs = Math.max(60_000, Math.round((p.days * DAY) / 96 / 60_000) * 60_000);
  const benchmarks = (await insight().benchmarks.all()).sort((a, b) => a.name.localeCompare(b.name));
  const sections: Section[] = [];
  const headline: string[] = [];
  for (const b of benchmarks) {
    const [current, previous] = await Promise.all([
      evaluateRange(b.query, metricStores().querier, p.start + stepMs, p.end, stepMs).catch(() => undefined),
      evaluateRange(b.query, metricStores().querier, p.start - p.days * DAY + stepMs, p.start, stepMs).catch(
        () => undefined,
      ),
    ]);
    const series = (current?.series ?? []).slice(0, 3);
    if (!series.length) {
      sections.push({ id: `trend-${slug(b.name)}`, heading: b.name, lines: ['No data in the period.'] });
      continue;
    }
    for (const one of series) {
      const points = one.ts.map((t, i) => ({ t, v: one.vs[i] })).filter((x) => Number.isFinite(x.v));
      if (points.length < 3) continue;
      const name = labelText(one.labels) ? `${b.name} (${labelText(one.labels)})` : b.name;
      const f = forecastSeries(points, {
        method: 'auto',
        horizonHours: p.days * 24,
        stepMs,
        threshold: b.baseline,
      });
      const before = previous?.series.find((x) => labelText(x.labels) === labelText(one.labels));
      const beforeValues = (before?.vs ?? []).filter(Number.isFinite);
      const lines = [
        `Slope ${withUnit(f.trend.slopePerHour * 24, b.unit === 'ratio' ? 'ratio' : b.unit)} per day (R² ${num(f.trend.r2, 2)}): ${f.trend.direction}.`,
      ];
      if (beforeValues.length >= 3) {
        const c = comparePeriods(
          beforeValues,
          points.map((x) => x.v),
        );
        lines.push(
          `Mean ${withUnit(c.after.mean, b.unit)} against ${withUnit(c.before.mean, b.unit)} the period before: ${c.changePercent === null ? '—' : `${c.changePercent >= 0 ? '+' : ''}${num(c.changePercent)} %`} (${c.significant ? 'significant' : 'not significant'}, p ${num(c.pValue, 2)}).`,
        );
      } else lines.push('No data for the period before.');
      const last = points[points.length - 1].v;
      const worse = b.better === 'lower' ? last > b.baseline : last < b.baseline;
      lines.push(
        worse
          ? `Already past the baseline of ${withUnit(b.baseline, b.unit)}.`
          : f.hoursUntilThreshold !== null
            ? `The ${f.method} forecast reaches the baseline of ${withUnit(b.baseline, b.unit)} in ${duration(f.hoursUntilThreshold)}.`
            : `The ${f.method} forecast stays clear of the baseline of ${withUnit(b.baseline, b.unit)} for the next ${p.days} days.`,
      );
      if (!worse && f.hoursUntilThreshold !== null)
        headline.push(`${name} is forecast to reach its baseline in ${duration(f.hoursUntilThreshold)}.`);
      if (f.trend.direction !== 'stable')
        headline.push(
          `${name} is ${f.trend.direction} (${withUnit(f.trend.slopePerHour * 24, b.unit)} per day).`,
        );
      sections.push({
        id: `trend-${slug(b.name)}`,
        heading: name,
        lines,
        charts: [
          {
            kind: 'line',
            title: name,
            unit: b.unit,
            points: points.map((x): [number, number] => [x.t, x.v]),
            reference: { label: 'baseline', value: b.baseline },
          },
        ],
      });
    }
  }
  if (!headline.length) headline.push('No benchmark changes direction or nears its baseline.');
  return { headline, sections };
}

/** Usage: Vigil's own API over the complete UTC days of the period. */
export async function usageReport(p: Period): Promise<{ headline: string[]; sections: Section[] }> {
  // Complete days only: the report's own day is still running.
  const u = await usage(p.end - DAY, p.days);
  const keyNames = new Map(
    (await new ApiKeyRepository(platform().tables.state).list()).map((k) => [k.id, k.name]),
  );
  const names = new Map(
    u.byKey.map(([id]) => [id, keyNames.has(id) ? `${keyNames.get(id)} (${id})` : id] as const),
  );
  const days = [...u.byDay].sort(([a], [b]) => a.localeCompare(b));
  return {
    headline: [
      `${u.requests} API requests from ${u.activeKeys} active keys over ${p.days} days.`,
      `Busiest endpoint: ${u.topEndpoints[0] ? `${u.topEndpoints[0][0]} (${u.topEndpoints[0][1]} requests)` : 'none'}.`,
      `Server errors: ${u.byStatus.filter(([s]) => s.startsWith('5')).reduce((n, [, c]) => n + c, 0)}.`,
    ],
    sections: [
      {
        id: 'endpoints',
        heading: 'Top endpoints',
        table: { columns: ['endpoint', 'requests'], rows: u.topEndpoints },
      },
      {
        id: 'keys',
        heading: 'Requests by API key',
        table: { columns: ['key', 'requests'], rows: u.byKey.map(([k, n]) => [names.get(k) ?? k, n]) },
      },
      {
        id: 'days',
        heading: 'Requests by day and status',
        charts: [
          { kind: 'bars', title: 'Requests by day', values: days },
          { kind: 'bars', title: 'Requests by status', values: [...u.byStatus] },
        ],
      },
    ],
  };
}
