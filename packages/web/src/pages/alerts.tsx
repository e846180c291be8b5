import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, Card, ErrorNote, when } from '../components';
import { useAction, useApi } from '../hooks';

/** Firing alerts (silence one in a click), silences, rules with their switches, receivers and routing. */
export function Alerts() {
  const alerts = useApi(() => api('/api/v2/alerts'), [], 15_000);
  const silences = useApi(() => api('/api/v2/silences'), []);
  const rules = useApi(() => api('/api/v1/rules'), []);
  const receivers = useApi(() => api('/api/v1/receivers'), []);
  const routing = useApi(() => api('/api/v1/routing'), []);
  const [tested, setTested] = useState<string>();
  const { run: act, error } = useAction(() => {
    alerts.refresh();
    silences.refresh();
    rules.refresh();
  });
  const silence = (a: any) =>
    act(() =>
      api('/api/v2/silences', {
        method: 'POST',
        body: {
          matchers: Object.entries(a.labels).map(([name, value]) => ({
            name,
            value,
            isRegex: false,
            isEqual: true,
          })),
          endsAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
          createdBy: 'dashboard',
          comment: `Silenced from the dashboard: ${a.labels.alertname}`,
        },
      }),
    );
  return (
    <div class="grid">
      <ErrorNote error={error} />
      <Card title="Alerts">
        <ErrorNote error={alerts.error} />
        {alerts.data?.length === 0 && <p>Nothing is firing.</p>}
        <ul>
          {alerts.data?.map((a: any) => (
            <li key={a.fingerprint} data-alert={a.labels.alertname}>
              <Badge value={a.labels.severity ?? 'info'} /> <strong>{a.labels.alertname}</strong>{' '}
              <Badge value={a.status.state} /> {a.annotations?.summary}{' '}
              {a.status.state === 'active' && (
                <button type="button" onClick={() => silence(a)}>
                  Silence 2h
                </button>
              )}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Silences">
        <ErrorNote error={silences.error} />
        {silences.data?.length === 0 && <p>No silences.</p>}
        <ul>
          {silences.data?.map((s: any) => (
            <li key={s.id}>
              <Badge value={s.status.state} />{' '}
              {s.matchers
                .map((m: any) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '~' : '='}"${m.value}"`)
                .join(', ')}{' '}
              <small>until {when(s.endsAt)}</small>{' '}
              {s.status.state !== 'expired' && (
                <button
                  type="button"
                  onClick={() => act(() => api(`/api/v2/silence/${s.id}`, { method: 'DELETE' }))}
                >
                  Expire
                </button>
              )}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Rules">
        <ErrorNote error={rules.error} />
        <table>
          <thead>
            <tr>
              <th>Rule</th>
              <th>State</th>
              <th>Health</th>
              <th>Enabled</th>
            </tr>
          </thead>
          <tbody>
            {rules.data?.data?.groups?.[0]?.rules?.map((r: any) => (
              <tr key={r.id}>
                <td>
                  <strong>{r.name}</strong>
                  <br />
                  <code>{r.query}</code>
                </td>
                <td>
                  <Badge value={r.state} />
                </td>
                <td>{r.health}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`enable ${r.name}`}
                    checked={r.enabled}
                    onChange={(e) =>
                      act(() =>
                        api(`/api/v1/rules/${r.id}`, {
                          method: 'PATCH',
                          body: { enabled: (e.target as HTMLInputElement).checked },
                        }),
                      )
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Receivers">
        <ErrorNote error={receivers.error} />
        {tested && <p role="status">{tested}</p>}
        <ul>
          {receivers.data?.receivers?.map((r: any) => (
            <li key={r.name}>
              {r.name} <Badge value={r.type} />{' '}
              <button
                type="button"
                onClick={async () => {
                  setTested(undefined);
                  const sent = await act(() => api(`/api/v1/receivers/${r.name}/test`, { method: 'POST' }));
                  if (sent) setTested(`A test notification is on its way to ${r.name}.`);
                }}
              >
                Send test
              </button>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Routing">
        <ErrorNote error={routing.error} />
        <pre>{routing.data ? JSON.stringify(routing.data, null, 2) : ''}</pre>
      </Card>
    </div>
  );
}
