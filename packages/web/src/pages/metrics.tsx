import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Card, Chart, ErrorNote } from '../components';
import { completionContext } from './promql-completion';

const RANGES: Record<string, number> = { '15m': 900, '1h': 3600, '6h': 21_600, '24h': 86_400, '7d': 604_800 };

/** PromQL with metric and label completion, a time range, a chart and a table; the URL carries the query. */
export function Metrics({ params }: { params: URLSearchParams }) {
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [range, setRange] = useState(params.get('range') ?? '1h');
  const [end, setEnd] = useState(params.get('end') ?? '');
  const [result, setResult] = useState<any[]>();
  const [error, setError] = useState<string>();
  const [names, setNames] = useState<string[]>([]);
  const [namesError, setNamesError] = useState<string>();
  useEffect(() => {
    api('/api/v1/label/__name__/values').then(
      (r) => setNames(r.data),
      (err: Error) => setNamesError(`Metric name completion is unavailable: ${err.message}`),
    );
  }, []);
  // Completion: metric names at first, then label names inside `metric{`, then their values.
  const [suggestions, setSuggestions] = useState<string[]>([]);
  useEffect(() => {
    const at = completionContext(query);
    if (at.kind === 'metric') return setSuggestions(names);
    const match = `match[]=${encodeURIComponent(at.metric)}`;
    const path =
      at.kind === 'label'
        ? `/api/v1/labels?${match}`
        : `/api/v1/label/${encodeURIComponent(at.label)}/values?${match}`;
    const timer = setTimeout(() => {
      api(path).then(
        (r) =>
          setSuggestions(
            (r.data as string[])
              .filter((x) => x !== '__name__')
              .map((x) => (at.kind === 'label' ? `${at.head}${x}="` : `${at.head}${x}"`)),
          ),
        (err: Error) => setNamesError(`Label completion is unavailable: ${err.message}`),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [query, names]);
  const run = async (e?: Event) => {
    e?.preventDefault();
    if (!query) return;
    location.hash = `#/metrics?${new URLSearchParams({ q: query, range, ...(end && { end }) })}`;
    const endS = end ? Date.parse(end) / 1000 : Date.now() / 1000;
    const start = endS - RANGES[range];
    const step = Math.max(15, Math.round(RANGES[range] / 240));
    try {
      const r = await api(
        `/api/v1/query_range?${new URLSearchParams({ query, start: String(start), end: String(endS), step: String(step) })}`,
      );
      setResult(r.data.result);
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    if (query) run();
  }, []);
  return (
    <Card title="Metrics explorer">
      <form onSubmit={run} class="row">
        <label for="promql">PromQL</label>
        <input
          id="promql"
          list="metric-names"
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          placeholder="rate(http_requests_total[5m])"
        />
        <datalist id="metric-names">
          {suggestions.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <label for="range">Range</label>
        <select id="range" value={range} onChange={(e) => setRange((e.target as HTMLSelectElement).value)}>
          {Object.keys(RANGES).map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <label for="end">End</label>
        <input
          id="end"
          type="datetime-local"
          value={end}
          onInput={(e) => setEnd((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Run</button>
      </form>
      <ErrorNote error={error ?? namesError} />
      {result && result.length === 0 && <p>No data.</p>}
      {result && result.length > 0 && (
        <>
          <Chart series={result} />
          <table>
            <thead>
              <tr>
                <th>Series</th>
                <th>Last value</th>
                <th>Points</th>
              </tr>
            </thead>
            <tbody>
              {result.map((s: any) => (
                <tr key={JSON.stringify(s.metric)}>
                  <td>
                    {Object.entries(s.metric)
                      .map(([k, v]) => `${k}="${v}"`)
                      .join(', ') || '{}'}
                  </td>
                  <td>{s.values.at(-1)?.[1]}</td>
                  <td>{s.values.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}
