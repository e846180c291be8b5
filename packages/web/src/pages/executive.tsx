import { api } from '../api';
import { Badge, Bars, Card, Chart, ErrorNote, percent, SloList, type SloView, when } from '../components';
import { useApi } from '../hooks';

const WEEK = 7 * 86_400_000;
const WEEKS = 8;

interface Week {
  start: number;
  count: number;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
}

const mean = (xs: Array<number | null>) => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10 : null;
};

/** Incidents of the last weeks bucketed by the week they opened in, with mean TTA and TTR. */
export function weeklyResponseTimes(
  incidents: Array<{ createdAt: string; ttaMinutes: number | null; ttrMinutes: number | null }>,
  end: number,
): Week[] {
  return Array.from({ length: WEEKS }, (_, i) => {
    const start = end - (WEEKS - i) * WEEK;
    const inWeek = incidents.filter((x) => {
      const t = Date.parse(x.createdAt);
      // Weeks end at `end` inclusive, so an incident opened this very moment is counted.
      return t > start && t <= start + WEEK;
    });
    return {
      start,
      count: inWeek.length,
      mttaMinutes: mean(inWeek.map((x) => x.ttaMinutes)),
      mttrMinutes: mean(inWeek.map((x) => x.ttrMinutes)),
    };
  });
}

/** What leadership asks about: SLO compliance, availability, incidents, response times, the latest report. */
export function Executive() {
  const status = useApi(() => api('/api/v1/status'), [], 60_000);
  const slos = useApi(() => api('/api/v1/slos'), [], 60_000);
  const at = status.data?.at as string | undefined;
  const trend = useApi(async () => {
    if (!at) return undefined;
    const end = Date.parse(at);
    const since = new Date(end - WEEKS * WEEK).toISOString();
    const r = await api(`/api/v1/incidents?since=${encodeURIComponent(since)}&limit=500`);
    return { weeks: weeklyResponseTimes(r.incidents, end), truncated: Boolean(r.nextCursor) };
  }, [at]);
  const latest = useApi(async () => {
    const list = await api('/api/v1/reports');
    const first = list.reports?.[0];
    return first ? api(`/api/v1/reports/${first.id}`) : null;
  }, []);

  const sloViews: SloView[] = status.data?.slos ?? [];
  const withData = sloViews.filter((s) => s.state !== 'no_data');
  const met = withData.filter((s) => s.state === 'met').length;
  const availability = (slos.data?.slos ?? []).filter((s: any) => s.kind === 'availability');
  const incidents = status.data?.incidentsLast7Days;
  const weeks = trend.data?.weeks ?? [];

  return (
    <div class="grid">
      <Card title="SLO compliance">
        <ErrorNote error={status.error} />
        {status.data && (
          <>
            <p class="figure" data-testid="slo-compliance">
              {withData.length ? `${met} of ${withData.length}` : '—'} <small>SLOs met</small>
            </p>
            <SloList slos={sloViews} />
          </>
        )}
      </Card>
      <Card title="Availability">
        <ErrorNote error={slos.error} />
        {slos.data && availability.length === 0 && (
          <p>No availability SLO is defined; create one with kind "availability" to see it here.</p>
        )}
        <ul class="plain">
          {availability.map((s: any) => (
            <li key={s.id} data-availability={s.id}>
              <span class="figure">{percent(s.status.sli, 3)}</span> {s.name} <small>{s.service}</small>{' '}
              <small>
                target {percent(s.target)} over {s.windowDays} days
              </small>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Incidents by severity (7 days)">
        <ErrorNote error={status.error} />
        {incidents && (
          <>
            <Bars values={incidents.bySeverity} label="Incidents by severity in the last 7 days" />
            <p>
              {incidents.count} incidents · MTTA {incidents.mttaMinutes ?? '—'} min · MTTR{' '}
              {incidents.mttrMinutes ?? '—'} min · {status.data.openIncidents.count} open now
            </p>
          </>
        )}
      </Card>
      <Card title="MTTA and MTTR by week">
        <ErrorNote error={trend.error} />
        {weeks.some((w) => w.count) ? (
          <Chart
            title="Mean time to acknowledge and to resolve per week, in minutes"
            label={(m) => m.name}
            series={[
              {
                metric: { name: 'MTTA (min)' },
                values: weeks.map((w) => [w.start / 1000, w.mttaMinutes] as [number, number | null]),
              },
              {
                metric: { name: 'MTTR (min)' },
                values: weeks.map((w) => [w.start / 1000, w.mttrMinutes] as [number, number | null]),
              },
            ]}
          />
        ) : (
          trend.data && <p>No incidents in the last {WEEKS} weeks.</p>
        )}
        {trend.data && (
          <table>
            <caption class="sr-only">Incidents, MTTA and MTTR per week</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col">Incidents</th>
                <th scope="col">MTTA (min)</th>
                <th scope="col">MTTR (min)</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w.start}>
                  <td>{new Date(w.start).toISOString().slice(0, 10)}</td>
                  <td>{w.count}</td>
                  <td>{w.mttaMinutes ?? '—'}</td>
                  <td>{w.mttrMinutes ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {trend.data?.truncated && (
          <p>
            <small>Only the newest 500 incidents are counted.</small>
          </p>
        )}
      </Card>
      <Card title="Latest report">
        <ErrorNote error={latest.error} />
        {latest.data === null && (
          <p>
            No report yet. <a href="#/reports">Generate one</a>.
          </p>
        )}
        {latest.data && (
          <>
            <p>
              <a href={`#/reports/${latest.data.id}`}>{latest.data.title}</a>{' '}
              <small>generated {when(latest.data.generatedAt)}</small>
            </p>
            <ul>
              {latest.data.findings?.map((f: any) => (
                <li key={f.title}>
                  <Badge value={f.severity} /> {f.title}. <small>{f.recommendation}</small>
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </div>
  );
}
