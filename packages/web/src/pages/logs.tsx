import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, Card, ErrorNote } from '../components';
import { LogHistogram } from './log-histogram';

type Form = Record<
  'service' | 'level' | 'text' | 'regex' | 'trace_id' | 'request_id' | 'start' | 'end',
  string
>;

/** The API's filters of a search (`time` adds the window; a tail has none). */
function filters(f: Form, time: boolean): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (!v || ((k === 'start' || k === 'end') && !time)) continue;
    q.set(k, k === 'start' || k === 'end' ? new Date(v).toISOString() : v);
  }
  if (time && !f.start) q.set('start', new Date(Date.now() - 7 * 86_400_000).toISOString());
  return q;
}

/** Log search with every filter, a level histogram, live tail, expandable records and pivots on ids. */
export function Logs({ params }: { params: URLSearchParams }) {
  const [form, setForm] = useState<Form>({
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
  const [histogram, setHistogram] = useState<any>();
  const [error, setError] = useState<string>();
  const [tailing, setTailing] = useState(false);
  const [tailed, setTailed] = useState<any[]>([]);
  const [tailError, setTailError] = useState<string>();
  const set = (k: keyof Form) => (e: Event) =>
    setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  const search = async (e?: Event, override: Partial<Form> = {}) => {
    e?.preventDefault();
    const q = filters({ ...form, ...override }, true);
    const from = Date.parse(q.get('start') as string);
    const to = q.has('end') ? Date.parse(q.get('end') as string) : Date.now();
    try {
      const [found, counts] = await Promise.all([
        api(`/api/v1/logs/search?${q}&limit=200`),
        api(`/api/v1/logs/histogram?${q}&buckets=60`),
      ]);
      setResult(found);
      setHistogram({ ...counts, from, to });
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pivot = (k: 'trace_id' | 'request_id', v: string) => {
    setForm({ ...form, [k]: v, text: '' });
    search(undefined, { [k]: v, text: '' });
  };

  // Live tail: long-polls the API with the current filters and shows new records on top.
  useEffect(() => {
    if (!tailing) return;
    const stop = new AbortController();
    const q = filters(form, false);
    (async () => {
      let cursor: string | undefined;
      while (!stop.signal.aborted) {
        try {
          // The first call only takes the current position, so everything after the toggle shows.
          const page = await api(
            `/api/v1/logs/tail?${q}${cursor === undefined ? '' : `&wait=10s&cursor=${encodeURIComponent(cursor)}`}`,
            { signal: stop.signal },
          );
          cursor = page.nextCursor;
          if (page.records.length) setTailed((prev) => [...page.records.reverse(), ...prev].slice(0, 500));
          setTailError(undefined);
        } catch (err) {
          if (stop.signal.aborted) return;
          setTailError(`Live tail: ${(err as Error).message}; retrying in 5 s`);
          await new Promise((r) => setTimeout(r, 5000));
        }
      }
    })();
    return () => stop.abort();
  }, [tailing]);

  const records = (list: any[], testid: string) => (
    <ol class="logs" data-testid={testid}>
      {list.map((r: any, i: number) => (
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
  );

  return (
    <Card title="Logs">
      <form onSubmit={search} class="row">
        {(['service', 'text', 'regex', 'trace_id', 'request_id'] as const).map((k) => (
          <span key={k} class="field">
            <label for={`log-${k}`}>{k.replace('_', ' ')}</label>
            <input id={`log-${k}`} value={form[k]} onInput={set(k)} />
          </span>
        ))}
        <span class="field">
          <label for="log-level">level ≥</label>
          <select id="log-level" value={form.level} onChange={set('level')}>
            <option value="">any</option>
            {['debug', 'info', 'warn', 'error', 'fatal'].map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="log-start">from</label>
          <input id="log-start" type="datetime-local" value={form.start} onInput={set('start')} />
        </span>
        <span class="field">
          <label for="log-end">to</label>
          <input id="log-end" type="datetime-local" value={form.end} onInput={set('end')} />
        </span>
        <button type="submit">Search</button>
        <label class="field">
          <input
            type="checkbox"
            checked={tailing}
            onChange={(e) => {
              setTailed([]);
              setTailing((e.target as HTMLInputElement).checked);
            }}
          />
          Live tail
        </label>
      </form>
      <ErrorNote error={error ?? tailError} />
      {tailing && (
        <section aria-labelledby="tail-heading" aria-live="polite">
          <h3 id="tail-heading">New records</h3>
          {tailed.length === 0 ? (
            <p>
              <small>Waiting for new records that match the filters…</small>
            </p>
          ) : (
            records(tailed, 'tail')
          )}
        </section>
      )}
      {histogram && (
        <LogHistogram
          buckets={histogram.buckets}
          bucketMs={histogram.bucketMs}
          from={histogram.from}
          to={histogram.to}
        />
      )}
      {result && (
        <>
          <p>
            <small>
              {result.total} records · {result.stats.chunksRead} chunks read, {result.stats.chunksSkipped}{' '}
              skipped
            </small>
          </p>
          {records(result.records, 'results')}
        </>
      )}
    </Card>
  );
}
