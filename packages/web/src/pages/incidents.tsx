import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, Card, ErrorNote, when } from '../components';
import { useAction, useApi } from '../hooks';
import { ReviewEditor } from './review-editor';

const ACTIONS = ['acknowledge', 'investigate', 'resolve', 'close', 'reopen'] as const;

/** The incident list with filters. */
export function Incidents() {
  const [status, setStatus] = useState('');
  const [severity, setSeverity] = useState('');
  const [service, setService] = useState('');
  const list = useApi(
    () =>
      api(
        `/api/v1/incidents?${new URLSearchParams({
          limit: '100',
          ...(status && { status }),
          ...(severity && { severity }),
          ...(service && { service }),
        })}`,
      ),
    [status, severity, service],
    15_000,
  );
  const choose = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLSelectElement).value);
  return (
    <Card title="Incidents">
      <div class="row">
        <span class="field">
          <label for="status">Status</label>
          <select id="status" value={status} onChange={choose(setStatus)}>
            <option value="">all</option>
            {['open', 'acknowledged', 'investigating', 'resolved', 'closed'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="severity">Severity</label>
          <select id="severity" value={severity} onChange={choose(setSeverity)}>
            <option value="">all</option>
            {['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="service">Service</label>
          <input id="service" value={service} onChange={choose(setService)} placeholder="any" />
        </span>
      </div>
      <ErrorNote error={list.error} />
      <table>
        <thead>
          <tr>
            <th>Incident</th>
            <th>Severity</th>
            <th>Status</th>
            <th>Opened</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.incidents?.map((i: any) => (
            <tr key={i.id}>
              <td>
                <a href={`#/incidents/${i.id}`}>{i.title}</a> <small>{i.service}</small>
              </td>
              <td>
                <Badge value={i.severity} />
              </td>
              <td>
                <Badge value={i.status} />
              </td>
              <td>{when(i.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** One incident: actions, notes and its timeline. */
export function IncidentDetail({ id }: { id: string }) {
  const incident = useApi(() => api(`/api/v1/incidents/${id}/timeline`), [id]);
  const [note, setNote] = useState('');
  const action = useAction(incident.refresh);
  const act = action.run;
  const error = action.error;
  const i = incident.data?.incident;
  return (
    <div class="grid">
      <Card title={i ? i.title : 'Incident'}>
        <ErrorNote error={incident.error ?? error} />
        {i && (
          <>
            <p>
              <Badge value={i.severity} /> <Badge value={i.status} /> {i.service} · opened {when(i.createdAt)}{' '}
              by {i.createdBy} · TTA {i.ttaMinutes ?? '—'} min · TTR {i.ttrMinutes ?? '—'} min
            </p>
            <div class="row">
              {ACTIONS.map((a) => (
                <button
                  type="button"
                  key={a}
                  onClick={() => act(() => api(`/api/v1/incidents/${id}/${a}`, { method: 'POST' }))}
                >
                  {a}
                </button>
              ))}
            </div>
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                act(() =>
                  api(`/api/v1/incidents/${id}/timeline`, { method: 'POST', body: { message: note } }),
                ).then((ok) => ok && setNote(''));
              }}
            >
              <label for="note">Note</label>
              <input
                id="note"
                value={note}
                onInput={(e) => setNote((e.target as HTMLInputElement).value)}
                required
              />
              <button type="submit">Add note</button>
            </form>
            <h3>Timeline</h3>
            <ol class="timeline">
              {incident.data.events.map((e: any) => (
                <li key={e.seq}>
                  <time>{when(e.at)}</time> <strong>{e.actor}</strong> {e.message}
                </li>
              ))}
            </ol>
          </>
        )}
      </Card>
      {i && <ReviewEditor key={i.status} incidentId={id} />}
    </div>
  );
}
