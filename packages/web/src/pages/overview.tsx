import { api } from '../api';
import { Badge, Card, ErrorNote, when } from '../components';
import { useApi } from '../hooks';

/** Component health, firing alerts and open incidents, refreshed every 15 s. */
export function Overview() {
  const health = useApi(() => api('/health/detailed'), [], 15_000);
  const alerts = useApi(() => api('/api/v1/alerts'), [], 15_000);
  const incidents = useApi(
    () => api('/api/v1/incidents?status=open,acknowledged,investigating&limit=20'),
    [],
    15_000,
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
    </div>
  );
}
