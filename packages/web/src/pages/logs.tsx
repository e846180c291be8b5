import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, Card, ErrorNote } from '../components';

/** Log search with every filter, expandable records, and pivots on trace and request ids. */
export function Logs({ params }: { params: URLSearchParams }) {
  const [form, setForm] = useState({
    service: params.get('service') ?? '',
    level: params.get('level') ?? '',
    text: params.get('text') ?? '',
    regex: '',
    trace_id: params.get('trace_id') ?? '',
    request_id: params.get('request_id') ?? '',
    start: '',
    end: '',
  });
  const [result, setResult] = useState<any>();
  const [error, setError] = useState<string>();
  const set = (k: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  const search = async (e?: Event, override: Partial<typeof form> = {}) => {
    e?.preventDefault();
    const f = { ...form, ...override };
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f))
      if (v) q.set(k, k === 'start' || k === 'end' ? new Date(v).toISOString() : v);
    if (!f.start) q.set('start', new Date(Date.now() - 7 * 86_400_000).toISOString());
    q.set('limit', '200');
    try {
      setResult(await api(`/api/v1/logs/search?${q}`));
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pivot = (k: 'trace_id' | 'request_id', v: string) => {
    setForm({ ...form, [k]: v, text: '' });
    search(undefined, { [k]: v, text: '' });
  };
  return (
    <Card title="Logs">
      <form onSubmit={search} class="row">
        {(['service', 'text', 'regex', 'trace_id', 'request_id'] as const).map((k) => (
          <span key={k}>
            <label for={`log-${k}`}>{k.replace('_', ' ')}</label>
            <input id={`log-${k}`} value={form[k]} onInput={set(k)} />
          </span>
        ))}
        <label for="log-level">level ≥</label>
        <select id="log-level" value={form.level} onChange={set('level')}>
          <option value="">any</option>
          {['debug', 'info', 'warn', 'error', 'fatal'].map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
        <label for="log-start">from</label>
        <input id="log-start" type="datetime-local" value={form.start} onInput={set('start')} />
        <label for="log-end">to</label>
        <input id="log-end" type="datetime-local" value={form.end} onInput={set('end')} />
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={error} />
      {result && (
        <>
          <p>
            <small>
              {result.total} records · {result.stats.chunksRead} chunks read, {result.stats.chunksSkipped}{' '}
              skipped
            </small>
          </p>
          <ol class="logs">
            {result.records.map((r: any, i: number) => (
              <li key={`${r.timestamp}${i}`}>
                <details>
                  <summary>
                    <time>{r.timestamp}</time> <Badge value={r.level} /> <strong>{r.service}</strong>{' '}
                    <span class="message">{r.message}</span>
                  </summary>
                  <pre>{JSON.stringify(r, null, 2)}</pre>
                  {r.trace_id && (
                    <button type="button" onClick={() => pivot('trace_id', r.trace_id)}>
                      All logs of trace {r.trace_id}
                    </button>
                  )}
                  {r.request_id && (
                    <button type="button" onClick={() => pivot('request_id', r.request_id)}>
                      All logs of request {r.request_id}
                    </button>
                  )}
                </details>
              </li>
            ))}
          </ol>
        </>
      )}
    </Card>
  );
}
