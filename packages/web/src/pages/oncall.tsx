import { api } from '../api';
import { Card, ErrorNote, when } from '../components';
import { useApi } from '../hooks';

/** The fourteen local days from the one holding `from`. */
function twoWeeks(from: number): Array<{ start: number; end: number }> {
  const day = new Date(from);
  day.setHours(0, 0, 0, 0);
  return Array.from({ length: 14 }, (_, i) => {
    const start = new Date(day);
    start.setDate(day.getDate() + i);
    const end = new Date(start);
    end.setDate(start.getDate() + 1);
    return { start: start.getTime(), end: end.getTime() };
  });
}

/** Who is on call during [start, end), in shift order, with the hand-over time of later shifts. */
function onCallDuring(
  shifts: Array<{ start: string; end: string; user: string | null }>,
  start: number,
  end: number,
) {
  return shifts
    .filter((sh) => Date.parse(sh.start) < end && Date.parse(sh.end) > start)
    .map((sh) => {
      const from = Date.parse(sh.start);
      const who = sh.user ?? 'nobody';
      // The first shift is cut at the time asked for; only later starts are hand-overs.
      return from > start && sh !== shifts[0]
        ? `${who} from ${new Date(from).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
        : who;
    });
}

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
          <div key={s.id} data-two-weeks={s.id}>
            <h3>{s.name}</h3>
            <table>
              <caption class="sr-only">Who is on call each day of the next two weeks on {s.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">On call</th>
                </tr>
              </thead>
              <tbody>
                {twoWeeks(Date.parse(now.data?.at ?? new Date().toISOString())).map((d) => (
                  <tr key={d.start}>
                    <th scope="row">
                      {new Date(d.start).toLocaleDateString(undefined, {
                        weekday: 'short',
                        month: 'short',
                        day: 'numeric',
                      })}
                    </th>
                    <td>{onCallDuring(s.shifts, d.start, d.end).join(', ') || 'nobody'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary>All shifts</summary>
              <ol>
                {s.shifts.map((sh: any) => (
                  <li key={sh.start}>
                    {when(sh.start)} → {when(sh.end)}: <strong>{sh.user ?? 'nobody'}</strong>
                  </li>
                ))}
              </ol>
            </details>
          </div>
        ))}
      </Card>
      <Card title="Escalation policies">
        <ErrorNote error={policies.error} />
        {policies.data?.policies?.length === 0 && <p>No escalation policies yet.</p>}
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
