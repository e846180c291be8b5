import { api } from '../api';
import { Badge, Card, ErrorNote, SloList, when } from '../components';
import { useApi } from '../hooks';

/** Requests per minute to each ingest route over the last 5 minutes, from Vigil's own request metrics. */
const INGEST_RATE =
  'sum by (route) (rate(vigil_http_requests_total{route=~"POST /(api/v1/(metrics|write|import/prometheus|logs)|v1/(metrics|logs)|loki/api/v1/push)"}[5m])) * 60';

const bytes = (n: number) =>
  n >= 1 << 30
    ? `${(n / (1 << 30)).toFixed(1)} GiB`
    : n >= 1 << 20
      ? `${(n / (1 << 20)).toFixed(1)} MiB`
      : `${Math.round(n / 1024)} KiB`;

/** Component health, SLOs, firing alerts, open incidents, anomalies and ingest, refreshed live. */
export function Overview() {
  const health = useApi(() => api('/health/detailed'), [], 15_000);
  const alerts = useApi(() => api('/api/v1/alerts'), [], 15_000);
  const incidents = useApi(
    () => api('/api/v1/incidents?status=open,acknowledged,investigating&limit=20'),
    [],
    15_000,
  );
  const status = useApi(() => api('/api/v1/status'), [], 30_000);
  const ingest = useApi(
    () => api(`/api/v1/query?${new URLSearchParams({ query: INGEST_RATE })}`),
    [],
    30_000,
  );
  return (
    <div class="grid">
      <Card title="Health">
        <ErrorNote error={health.error} />
        {health.data && (
          <>
            <p>
              Overall <Badge value={health.data.status} />
            </p>
            <ul class="checks">
              {health.data.checks.map((c: any) => (
                <li key={c.name}>
                  <Badge value={c.status} /> {c.name}{' '}
                  {c.latencyMs !== undefined && <small>{c.latencyMs} ms</small>}{' '}
                  {c.detail && <small>{c.detail}</small>}
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <Card title="Firing alerts">
        <ErrorNote error={alerts.error} />
        {alerts.data?.alerts?.length === 0 && <p>Nothing is firing.</p>}
        <ul>
          {alerts.data?.alerts?.map((a: any) => (
            <li key={a.fingerprint}>
              <Badge value={a.labels.severity ?? 'info'} /> <strong>{a.labels.alertname}</strong>{' '}
              {a.annotations.summary} <small>since {when(a.startsAt)}</small>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Open incidents">
        <ErrorNote error={incidents.error} />
        {incidents.data?.incidents?.length === 0 && <p>No open incidents.</p>}
        <ul>
          {incidents.data?.incidents?.map((i: any) => (
            <li key={i.id}>
              <Badge value={i.severity} /> <a href={`#/incidents/${i.id}`}>{i.title}</a>{' '}
              <Badge value={i.status} />
            </li>
          ))}
        </ul>
        {incidents.data?.summary && (
          <p>
            <small>
              MTTA {incidents.data.summary.mttaMinutes ?? '—'} min · MTTR{' '}
              {incidents.data.summary.mttrMinutes ?? '—'} min
            </small>
          </p>
        )}
      </Card>
      <Card title="SLOs">
        <ErrorNote error={status.error} />
        {status.data && <SloList slos={status.data.slos} />}
      </Card>
      <Card title="Recent anomalies">
        <ErrorNote error={status.error} />
        {status.data?.recentAnomalies?.length === 0 && <p>No anomalies detected.</p>}
        <ul>
          {status.data?.recentAnomalies?.slice(0, 10).map((a: any) => (
            <li key={a.id}>
              <Badge value={a.severity} /> {a.series.__name__ ?? a.detector}{' '}
              <small>
                {Object.entries(a.series)
                  .filter(([k]) => k !== '__name__')
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </small>{' '}
              value {Number(a.value).toPrecision(4)}, expected ≈ {Number(a.expected.median).toPrecision(4)}{' '}
              <small>at {when(a.at)}</small>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Ingest">
        <ErrorNote error={ingest.error ?? status.error} />
        {ingest.data?.data?.result?.length === 0 && <p>No ingest requests in the last 5 minutes.</p>}
        <ul>
          {ingest.data?.data?.result?.map((r: any) => (
            <li key={r.metric.route}>
              <code>{r.metric.route}</code> {Number(r.value[1]).toFixed(1)} requests/min
            </li>
          ))}
        </ul>
        {status.data?.ingest && (
          <p>
            <small>
              {status.data.ingest.logRecords} log records in {status.data.ingest.logStreams} streams (
              {bytes(status.data.ingest.logBytes)})
            </small>
          </p>
        )}
      </Card>
    </div>
  );
}
