import { api } from '../api';
import { Card, ErrorNote, when } from '../components';
import { useApi } from '../hooks';

/** Who is on call now, the next two weeks of each schedule, and the escalation policies. */
export function OnCall() {
  const now = useApi(() => api('/api/v1/oncall'), [], 60_000);
  const schedules = useApi(async () => {
    const list = await api('/api/v1/schedules');
    const from = now.data?.at ?? new Date().toISOString();
    return Promise.all(
      list.schedules.map(async (s: any) => ({
        ...s,
        shifts: (await api(`/api/v1/schedules/${s.id}/shifts?start=${encodeURIComponent(from)}`)).shifts,
      })),
    );
  }, [now.data?.at]);
  const policies = useApi(() => api('/api/v1/escalation-policies'), []);
  return (
    <div class="grid">
      <Card title="On call now">
        <ErrorNote error={now.error} />
        <ul>
          {now.data?.oncall?.map((o: any) => (
            <li key={o.schedule} data-schedule={o.schedule}>
              <strong>{o.name}</strong>: <span class="oncall-user">{o.user ?? 'nobody'}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Next two weeks">
        <ErrorNote error={schedules.error} />
        {schedules.data?.map((s: any) => (
          <div key={s.id}>
            <h3>{s.name}</h3>
            <ol>
              {s.shifts.map((sh: any) => (
                <li key={sh.start}>
                  {when(sh.start)} → {when(sh.end)}: <strong>{sh.user ?? 'nobody'}</strong>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </Card>
      <Card title="Escalation policies">
        <ErrorNote error={policies.error} />
        <ul>
          {policies.data?.policies?.map((p: any) => (
            <li key={p.id}>
              <strong>{p.name}</strong>:{' '}
              {p.levels
                .map(
                  (l: any, i: number) =>
                    `L${i + 1} ${l.targets.map((t: any) => t.id).join('/')} (+${l.delayMinutes}m)`,
                )
                .join(' → ')}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
