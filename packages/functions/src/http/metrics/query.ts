import { ValidationError } from '@vigil/core';
import {
  RESOLUTIONS,
  type Resolution,
  ROLLUP_AGGREGATES,
  type RollupAggregate,
  rollupValue,
} from '@vigil/core/metrics';
import {
  evaluateInstant,
  evaluateRange,
  formatTime,
  formatValue,
  type InstantResult,
  type Labels,
  PromQLExecutionError,
  type RawSeries,
} from '@vigil/core/promql';
import { metricStores } from '../../metrics/context';
import { route } from '../toolkit/index';
import type { RouteInput } from '../toolkit/route';
import type { Reply } from '../toolkit/types';
import { parseMatch, parseStep, parseTime } from './query-params';

type Input = RouteInput<unknown, Record<string, string>, Record<string, string>>;

const success = (data: unknown): Reply => ({ body: { status: 'success', data } });

/** Prometheus's own error envelope, which Grafana and promtool understand. */
function failure(error: unknown): Reply {
  if (error instanceof PromQLExecutionError)
    return { status: 422, body: { status: 'error', errorType: 'execution', error: error.message } };
  if (error instanceof ValidationError)
    return { status: 400, body: { status: 'error', errorType: 'bad_data', error: error.message } };
  throw error;
}

/** A Prometheus API route: parameters from the query string or a urlencoded body, errors in its envelope. */
function promRoute(handle: (input: Input) => Promise<Reply>) {
  return route({
    rawBody: true,
    handle: async (input: Input) => {
      try {
        return await handle(input);
      } catch (error) {
        return failure(error);
      }
    },
  });
}

const matrixJson = (series: RawSeries[]) =>
  series.map((s) => ({
    metric: s.labels,
    values: s.ts.map((t, i) => [formatTime(t), formatValue(s.vs[i])]),
  }));

function instantJson(result: InstantResult) {
  switch (result.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: result.vector.map((s) => ({
          metric: s.labels,
          value: [formatTime(result.time), formatValue(s.value)],
        })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: [formatTime(result.time), formatValue(result.value)] };
    case 'string':
      return { resultType: 'string', result: [formatTime(result.time), result.value] };
    case 'matrix':
      return { resultType: 'matrix', result: matrixJson(result.series) };
  }
}

const query = promRoute(async ({ searchParams, now }) => {
  const q = searchParams.get('query');
  if (!q)
    throw new ValidationError('invalid parameter "query": missing', [
      { field: 'query', message: 'required' },
    ]);
  const time = parseTime(searchParams.get('time'), 'time', now);
  return success(instantJson(await evaluateInstant(q, metricStores().querier, time)));
});

const queryRange = promRoute(async ({ searchParams }) => {
  const q = searchParams.get('query');
  if (!q)
    throw new ValidationError('invalid parameter "query": missing', [
      { field: 'query', message: 'required' },
    ]);
  const start = parseTime(searchParams.get('start'), 'start');
  const end = parseTime(searchParams.get('end'), 'end');
  const step = parseStep(searchParams.get('step'));
  const result = await evaluateRange(q, metricStores().querier, start, end, step);
  return success({ resultType: 'matrix', result: matrixJson(result.series) });
});

async function matchingSeries(input: Input, required: boolean): Promise<Labels[] | undefined> {
  const selectors = input.searchParams.getAll('match[]');
  if (!selectors.length) {
    if (required)
      throw new ValidationError('no match[] parameter provided', [{ field: 'match[]', message: 'required' }]);
    return undefined;
  }
  const seen = new Map<string, Labels>();
  for (const matchers of parseMatch(selectors)) {
    for (const s of await metricStores().store.findSeries(matchers)) seen.set(s.id, s.labels);
  }
  return [...seen.values()];
}

const series = promRoute(async (input) => success((await matchingSeries(input, true)) ?? []));

const labels = promRoute(async (input) => {
  const found = await matchingSeries(input, false);
  const names = found
    ? [...new Set(found.flatMap((l) => Object.keys(l)))]
    : await metricStores().store.labelNames();
  return success(names.sort());
});

const labelValues = promRoute(async (input) => {
  const name = input.params.name;
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name ?? ''))
    throw new ValidationError(`invalid label name: "${name}"`, [
      { field: 'name', message: 'invalid label name' },
    ]);
  const found = await matchingSeries(input, false);
  const values = found
    ? [...new Set(found.map((l) => l[name]).filter((v): v is string => v !== undefined))]
    : await metricStores().store.labelValues(name);
  return success(values.sort());
});

const rollups = promRoute(async ({ searchParams, now }) => {
  const metric = searchParams.get('metric');
  if (!metric) throw new ValidationError('missing metric', [{ field: 'metric', message: 'required' }]);
  const step = (searchParams.get('step') ?? '5m') as Resolution;
  if (!(step in RESOLUTIONS))
    throw new ValidationError(`step must be one of ${Object.keys(RESOLUTIONS).join(', ')}`, [
      { field: 'step', message: 'unsupported resolution' },
    ]);
  const agg = (searchParams.get('agg') ?? 'avg') as RollupAggregate;
  if (!ROLLUP_AGGREGATES.includes(agg))
    throw new ValidationError(`agg must be one of ${ROLLUP_AGGREGATES.join(', ')}`, [
      { field: 'agg', message: 'unsupported aggregate' },
    ]);
  const end = parseTime(searchParams.get('end'), 'end', now);
  const start = parseTime(searchParams.get('start'), 'start', end - 24 * 3_600_000);
  const selector = searchParams.get('match') ? `${metric}${searchParams.get('match')}` : metric;
  const [matchers] = parseMatch([selector]);
  const { store, rollups: rollupStore } = metricStores();
  const result = [];
  const found = await store.findSeries(matchers);
  const bySeries = await rollupStore.readMany(step, found, start, end, { sketches: agg.startsWith('p') });
  for (const s of found) {
    const buckets = bySeries.get(s.num);
    if (buckets)
      result.push({
        metric: s.labels,
        values: buckets.map((b) => [formatTime(b.start), formatValue(rollupValue(b, agg))]),
      });
  }
  return success({ resultType: 'matrix', step, agg, result });
});

/** The Prometheus HTTP API (query, series, labels) plus Vigil's rollups. */
export const metricsQuery = {
  'GET /api/v1/query': query,
  'POST /api/v1/query': query,
  'GET /api/v1/query_range': queryRange,
  'POST /api/v1/query_range': queryRange,
  'GET /api/v1/series': series,
  'POST /api/v1/series': series,
  'GET /api/v1/labels': labels,
  'POST /api/v1/labels': labels,
  'GET /api/v1/label/{name}/values': labelValues,
  'GET /api/v1/rollups': rollups,
  'GET /api/v1/status/buildinfo': route({
    handle: () =>
      success({
        version: '2.42.0',
        revision: 'vigil',
        branch: 'main',
        buildUser: 'vigil',
        buildDate: '20261124-00:00:00',
        goVersion: 'n/a (Vigil)',
      }),
  }),
  'GET /api/v1/metadata': promRoute(async ({ searchParams }) => {
    const wanted = searchParams.get('metric');
    const names = (await metricStores().store.metricNames()).filter((n) => !wanted || n === wanted);
    return success(Object.fromEntries(names.map((n) => [n, [{ type: guessType(n), help: '', unit: '' }]])));
  }),
};

function guessType(name: string): string {
  if (name.endsWith('_total')) return 'counter';
  if (name.endsWith('_bucket')) return 'histogram';
  return 'gauge';
}

export { failure };
