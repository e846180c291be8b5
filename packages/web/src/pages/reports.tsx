import { useState } from 'preact/hooks';
import { api } from '../api';
import { Card, ErrorNote, when } from '../components';
import { useAction, useApi } from '../hooks';

const TYPES = ['executive', 'performance', 'trend', 'usage'] as const;
const period = (r: any) => `${r.period.start.slice(0, 10)} → ${r.period.end.slice(0, 10)}`;

/** Generated reports, newest first, and a form to generate one now. */
export function Reports() {
  const list = useApi(() => api('/api/v1/reports'), []);
  const [type, setType] = useState<string>('executive');
  const [days, setDays] = useState('7');
  const generate = useAction();
  return (
    <div class="grid">
      <Card title="Generate a report">
        <form
          class="row"
          onSubmit={async (e) => {
            e.preventDefault();
            let id: string | undefined;
            const ok = await generate.run(async () => {
              id = (await api('/api/v1/reports', { method: 'POST', body: { type, days: Number(days) } })).id;
            });
            if (ok && id) location.hash = `#/reports/${id}`;
          }}
        >
          <label for="report-type">Type</label>
          <select
            id="report-type"
            value={type}
            onChange={(e) => setType((e.target as HTMLSelectElement).value)}
          >
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <label for="report-days">Days</label>
          <input
            id="report-days"
            type="number"
            min={1}
            max={90}
            value={days}
            onInput={(e) => setDays((e.target as HTMLInputElement).value)}
            required
          />
          <button type="submit" disabled={generate.busy}>
            {generate.busy ? 'Generating…' : 'Generate now'}
          </button>
        </form>
        <ErrorNote error={generate.error} />
        <p>
          <small>A generated report is also mailed to the reports receiver.</small>
        </p>
      </Card>
      <Card title="Reports">
        <ErrorNote error={list.error} />
        {list.data?.reports?.length === 0 && <p>No reports yet.</p>}
        {list.data?.reports?.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Period</th>
                <th scope="col">Generated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.reports.map((r: any) => (
                <tr key={r.id}>
                  <td>
                    <a href={`#/reports/${r.id}`}>{r.type} report</a> <small>{r.id}</small>
                  </td>
                  <td>{period(r)}</td>
                  <td>{when(r.generatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

/**
 * One report as the API renders it. The HTML report is shown in a sandboxed frame (no scripts,
 * no access to this page or its key); the Markdown as plain text.
 */
export function ReportView({ id }: { id: string }) {
  const [format, setFormat] = useState<'html' | 'markdown'>('html');
  const meta = useApi(() => api(`/api/v1/reports/${id}`), [id]);
  const body = useApi(
    async () => ({ format, text: String(await api(`/api/v1/reports/${id}?format=${format}`)) }),
    [id, format],
  );
  return (
    <Card title={meta.data?.title ?? 'Report'}>
      <p>
        <a href="#/reports">← All reports</a>
        {meta.data && (
          <small>
            {' '}
            · {meta.data.type} · {period(meta.data)} · generated {when(meta.data.generatedAt)}
          </small>
        )}
      </p>
      <ErrorNote error={meta.error ?? body.error} />
      <fieldset class="row">
        <legend>Show as</legend>
        {(['html', 'markdown'] as const).map((f) => (
          <label key={f}>
            <input
              type="radio"
              name="report-format"
              value={f}
              checked={format === f}
              onChange={() => setFormat(f)}
            />{' '}
            {f === 'html' ? 'Rendered' : 'Markdown'}
          </label>
        ))}
      </fieldset>
      {body.data?.format === format &&
        (format === 'html' ? (
          <iframe
            class="report-frame"
            title={`Report ${id}`}
            sandbox=""
            srcdoc={body.data.text}
            data-testid="report-frame"
          />
        ) : (
          <pre data-testid="report-markdown">{body.data.text}</pre>
        ))}
    </Card>
  );
}
