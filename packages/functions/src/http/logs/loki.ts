import { ValidationError } from '@vigil/core';
import type { LogQuery, LogRecord } from '@vigil/core/logs';
import { logStore } from '../../logs/ingest';
import { route } from '../toolkit/index';
import type { Reply } from '../toolkit/types';

/** The subset of LogQL Grafana's log panels send: a stream selector, line filters and `| json`. */
interface LogQL {
  matchers: Array<{ name: string; op: '=' | '!=' | '=~' | '!~'; value: string }>;
  filters: Array<{ op: '|=' | '!=' | '|~' | '!~'; value: string }>;
  json: boolean;
  labelFilters: Array<{ name: string; op: '=' | '!=' | '=~' | '!~'; value: string }>;
}

const STRING = /"((?:[^"\\]|\\.)*)"|`([^`]*)`/y;

export function parseLogQL(text: string): LogQL {
  const fail = (at: number, why: string): never => {
    throw new ValidationError(`parse error at char ${at + 1}: ${why}`, [{ field: 'query', message: why }]);
  };
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const str = () => {
    ws();
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) fail(i, 'expected a quoted string');
    i = STRING.lastIndex;
    return m![1] !== undefined ? m![1].replace(/\\(.)/g, '$1') : m![2];
  };
  ws();
  if (text[i] !== '{') fail(i, 'a query starts with a stream selector such as {service="api"}');
  i++;
  const matchers: LogQL['matchers'] = [];
  for (;;) {
    ws();
    if (text[i] === '}') {
      i++;
      break;
    }
    const name = /[a-zA-Z_][a-zA-Z0-9_]*/y;
    name.lastIndex = i;
    const n = name.exec(text);
    if (!n) fail(i, 'expected a label name');
    i = name.lastIndex;
    ws();
    const op = ['=~', '!~', '!=', '='].find((o) => text.startsWith(o, i));
    if (!op) fail(i, 'expected =, !=, =~ or !~');
    i += op!.length;
    matchers.push({ name: n![0], op: op as LogQL['matchers'][number]['op'], value: str() });
    ws();
    if (text[i] === ',') i++;
  }
  const filters: LogQL['filters'] = [];
  const labelFilters: LogQL['labelFilters'] = [];
  let json = false;
  for (;;) {
    ws();
    if (i >= text.length) break;
    const op = ['|=', '!=', '|~', '!~'].find((o) => text.startsWith(o, i));
    if (op) {
      i += 2;
      filters.push({ op: op as LogQL['filters'][number]['op'], value: str() });
      continue;
    }
    if (text[i] === '|') {
      i++;
      ws();
      if (text.startsWith('json', i)) {
        i += 4;
        json = true;
        continue;
      }
      const m = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|==|=)/y;
      m.lastIndex = i;
      const lf = m.exec(text);
      if (!lf) fail(i, 'expected json or a label filter such as level="error"');
      i = m.lastIndex;
      labelFilters.push({
        name: lf![1],
        op: (lf![2] === '==' ? '=' : lf![2]) as LogQL['labelFilters'][number]['op'],
        value: str(),
      });
      continue;
    }
    fail(i, `unexpected '${text[i]}'`);
  }
  return { matchers, filters, json, labelFilters };
}

function test(op: '=' | '!=' | '=~' | '!~', actual: string, value: string): boolean {
  if (op === '=') return actual === value;
  if (op === '!=') return actual !== value;
  const re = new RegExp(`^(?:${value})$`);
  return op === '=~' ? re.test(actual) : !re.test(actual);
}

function labelsOf(r: LogRecord, json: boolean): Record<string, string> {
  const labels: Record<string, string> = { service: r.service, level: r.level, source: r.source };
  if (json) {
    // `| json` extracts the line's own fields, as Loki does, beside the stored attributes.
    if (r.message.startsWith('{')) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(r.message) as Record<string, unknown>))
          if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k))
            labels[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      } catch {
        // not JSON: nothing to extract
      }
    }
    for (const [k, v] of Object.entries(r.attributes))
      if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k))
        labels[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    for (const k of ['trace_id', 'span_id', 'request_id'] as const) if (r[k]) labels[k] = r[k] as string;
  }
  return labels;
}

const nanos = (value: string | null, fallback: number) => {
  if (!value) return fallback;
  if (/^\d{16,}$/.test(value)) return Number(BigInt(value) / 1_000_000n);
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new ValidationError(`invalid time '${value}'`, [{ field: 'start', message: 'ns, s or RFC 3339' }]);
  return ms;
};

async function queryLoki(params: URLSearchParams, now: number, instant: boolean): Promise<Reply> {
  const text = params.get('query');
  if (!text) throw new ValidationError('missing query', [{ field: 'query', message: 'required' }]);
  const parsed = parseLogQL(text);
  const end = nanos(params.get(instant ? 'time' : 'end'), now);
  const start = instant ? end - 3_600_000 : nanos(params.get('start'), end - 3_600_000);
  const limit = Math.min(5000, Number(params.get('limit') ?? 100) || 100);
  const service = parsed.matchers.find((m) => m.name === 'service' && m.op === '=')?.value;
  const q: LogQuery = {
    services: service ? [service] : undefined,
    text: parsed.filters.filter((f) => f.op === '|=').map((f) => f.value),
    fields: [],
    start,
    end,
  };
  const { records } = await logStore().search(q, [], now);
  const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
  let count = 0;
  for (const r of params.get('direction') === 'forward' ? [...records].reverse() : records) {
    if (count >= limit) break;
    const base = { service: r.service, level: r.level, source: r.source };
    if (!parsed.matchers.every((m) => test(m.op, (base as Record<string, string>)[m.name] ?? '', m.value)))
      continue;
    if (
      !parsed.filters.every((f) =>
        f.op === '|='
          ? r.message.includes(f.value)
          : f.op === '!='
            ? !r.message.includes(f.value)
            : f.op === '|~'
              ? new RegExp(f.value).test(r.message)
              : !new RegExp(f.value).test(r.message),
      )
    )
      continue;
    const labels = labelsOf(r, parsed.json);
    if (!parsed.labelFilters.every((f) => test(f.op, labels[f.name] ?? '', f.value))) continue;
    const key = JSON.stringify(Object.entries(labels).sort());
    const stream = streams.get(key) ?? { stream: labels, values: [] };
    stream.values.push([`${BigInt(Date.parse(r.timestamp)) * 1_000_000n}`, r.message]);
    streams.set(key, stream);
    count++;
  }
  return {
    body: { status: 'success', data: { resultType: 'streams', result: [...streams.values()], stats: {} } },
  };
}

/** The Loki query API subset Grafana's Loki data source uses. */
export const lokiQueryRoutes = {
  'GET /loki/api/v1/query_range': route({
    handle: ({ searchParams, now }) => queryLoki(searchParams, now, false),
  }),
  'GET /loki/api/v1/query': route({ handle: ({ searchParams, now }) => queryLoki(searchParams, now, true) }),
  'GET /loki/api/v1/labels': route({
    handle: async () => ({ body: { status: 'success', data: ['level', 'service', 'source'] } }),
  }),
  'GET /loki/api/v1/label/{name}/values': route({
    handle: async ({ params, now }) => {
      const streams = await logStore().streams(now);
      const name = params.name as 'service' | 'level' | 'source';
      const values = ['service', 'level', 'source'].includes(name)
        ? [...new Set(streams.map((s) => s[name]))].sort()
        : [];
      return { body: { status: 'success', data: values } };
    },
  }),
};
