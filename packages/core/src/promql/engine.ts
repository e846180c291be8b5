import { lowerBound } from '../sorted';
import { aggregate } from './aggregate';
import type { Expr, LabelMatcher, MatrixSelector, VectorSelector } from './ast';
import { scalarOp, vectorScalar, vectorVector } from './binary';
import { PromQLExecutionError } from './errors';
import { callFunction } from './functions';
import { labelsKey } from './labels';
import { parsePromQL } from './parser';
import { isStaleAt, type RawSeries, type Value, type Vector } from './values';

/** Prometheus's lookback delta: an instant selector sees samples up to 5 minutes old. */
export const LOOKBACK_MS = 5 * 60_000;
/** Prometheus refuses range queries with more points per series than this. */
export const MAX_POINTS = 11_000;

/** Where samples come from: every series matching the matchers, with samples in [start, end]. */
export interface Querier {
  select(matchers: LabelMatcher[], start: number, end: number): Promise<RawSeries[]>;
}

/** A query's result over time: one series per label set. */
export interface RangeResult {
  resultType: 'matrix';
  series: RawSeries[];
}

export type InstantResult =
  | { resultType: 'vector'; vector: Vector; time: number }
  | { resultType: 'scalar'; value: number; time: number }
  | { resultType: 'string'; value: string; time: number }
  | { resultType: 'matrix'; series: RawSeries[] };

interface Fetched {
  selector: VectorSelector;
  series: RawSeries[];
}

/** Evaluates an expression at one instant (ms). */
export async function evaluateInstant(
  query: string | Expr,
  querier: Querier,
  time: number,
): Promise<InstantResult> {
  const expr = typeof query === 'string' ? parsePromQL(query) : query;
  const evaluator = new Evaluator(await prefetch(expr, querier, time, time));
  const value = evaluator.eval(expr, time);
  switch (value.type) {
    case 'vector':
      return { resultType: 'vector', vector: value.vector, time };
    case 'scalar':
      return { resultType: 'scalar', value: value.value, time };
    case 'string':
      return { resultType: 'string', value: value.value, time };
    case 'matrix':
      return { resultType: 'matrix', series: value.series };
  }
}

/** Evaluates an expression at start, start + step, … ≤ end (ms), as `/api/v1/query_range`. */
export async function evaluateRange(
  query: string | Expr,
  querier: Querier,
  start: number,
  end: number,
  step: number,
): Promise<RangeResult> {
  const expr = typeof query === 'string' ? parsePromQL(query) : query;
  if (step <= 0)
    throw new PromQLExecutionError(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  if (end < start) throw new PromQLExecutionError('end timestamp must not be before start time');
  if ((end - start) / step > MAX_POINTS)
    throw new PromQLExecutionError(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  const evaluator = new Evaluator(await prefetch(expr, querier, start, end));
  const out = new Map<string, RawSeries>();
  for (let t = start; t <= end; t += step) {
    const value = evaluator.eval(expr, t);
    if (value.type === 'matrix' || value.type === 'string') {
      throw new PromQLExecutionError(
        `invalid expression type "${value.type === 'matrix' ? 'range vector' : 'string'}" for range query, must be Scalar or instant Vector`,
      );
    }
    const vector = value.type === 'scalar' ? [{ labels: {}, value: value.value }] : value.vector;
    for (const sample of vector) {
      const key = labelsKey(sample.labels);
      let series = out.get(key);
      if (!series) {
        series = { labels: sample.labels, ts: [], vs: [] };
        out.set(key, series);
      }
      series.ts.push(t);
      series.vs.push(sample.value);
    }
  }
  return { resultType: 'matrix', series: [...out.values()] };
}

/** Loads every selector's samples once for the whole evaluation. */
async function prefetch(
  expr: Expr,
  querier: Querier,
  start: number,
  end: number,
): Promise<Map<VectorSelector, Fetched>> {
  const wanted: Array<{ selector: VectorSelector; from: number; to: number }> = [];
  const walk = (node: Expr, extra: number, shift: number) => {
    switch (node.kind) {
      case 'vector':
        wanted.push({
          selector: node,
          from: start - extra - shift - node.offset - LOOKBACK_MS,
          to: end - shift - node.offset,
        });
        return;
      case 'matrix':
        wanted.push({
          selector: node.vector,
          from: start - extra - shift - node.vector.offset - node.range,
          to: end - shift - node.vector.offset,
        });
        return;
      case 'subquery':
        return walk(node.expr, extra + node.range, shift + node.offset);
      case 'call':
        for (const a of node.args) walk(a, extra, shift);
        return;
      case 'aggregate':
        walk(node.expr, extra, shift);
        if (node.param) walk(node.param, extra, shift);
        return;
      case 'binary':
        walk(node.lhs, extra, shift);
        return walk(node.rhs, extra, shift);
      case 'unary':
      case 'paren':
        return walk(node.expr, extra, shift);
      default:
        return;
    }
  };
  walk(expr, 0, 0);
  const fetched = new Map<VectorSelector, Fetched>();
  await Promise.all(
    wanted.map(async ({ selector, from, to }) => {
      const series = await querier.select(selector.matchers, from, to);
      fetched.set(selector, { selector, series });
    }),
  );
  return fetched;
}

function upperBound(ts: number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Evaluates syntax trees over prefetched samples, one instant at a time. */
export class Evaluator {
  constructor(private readonly data: Map<VectorSelector, Fetched>) {}

  eval(expr: Expr, t: number): Value {
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', value: expr.value };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr, t);
      case 'vector':
        return { type: 'vector', vector: this.instant(expr, t) };
      case 'matrix':
        return { type: 'matrix', series: this.range(expr, t) };
      case 'subquery':
        return { type: 'matrix', series: this.subquery(expr, t) };
      case 'unary': {
        const v = this.eval(expr.expr, t);
        if (expr.op === '+') return v;
        if (v.type === 'scalar') return { type: 'scalar', value: -v.value };
        if (v.type === 'vector')
          return {
            type: 'vector',
            vector: v.vector.map((s) => ({ labels: dropNameOf(s.labels), value: -s.value })),
          };
        return v;
      }
      case 'call':
        return callFunction(expr, t, (e) => this.eval(e, t));
      case 'aggregate': {
        const input = this.eval(expr.expr, t);
        const param = expr.param ? this.eval(expr.param, t) : undefined;
        const p = param?.type === 'scalar' || param?.type === 'string' ? param.value : undefined;
        return { type: 'vector', vector: aggregate(expr, input.type === 'vector' ? input.vector : [], p) };
      }
      case 'binary': {
        const l = this.eval(expr.lhs, t);
        const r = this.eval(expr.rhs, t);
        if (l.type === 'scalar' && r.type === 'scalar') {
          const result = scalarOp(expr.op, l.value, r.value);
          return { type: 'scalar', value: typeof result === 'boolean' ? (result ? 1 : 0) : result };
        }
        if (l.type === 'vector' && r.type === 'scalar')
          return { type: 'vector', vector: vectorScalar(expr, l.vector, r.value, false) };
        if (l.type === 'scalar' && r.type === 'vector')
          return { type: 'vector', vector: vectorScalar(expr, r.vector, l.value, true) };
        if (l.type === 'vector' && r.type === 'vector')
          return { type: 'vector', vector: vectorVector(expr, l.vector, r.vector) };
        throw new PromQLExecutionError('binary expression must contain only scalar and instant vector types');
      }
    }
  }

  private instant(selector: VectorSelector, t: number): Vector {
    const at = t - selector.offset;
    const out: Vector = [];
    for (const series of this.data.get(selector)?.series ?? []) {
      const i = upperBound(series.ts, at) - 1;
      if (i < 0 || series.ts[i] < at - LOOKBACK_MS) continue;
      if (isStaleAt(series, i)) continue;
      out.push({ labels: series.labels, value: series.vs[i] });
    }
    return out;
  }

  private range(node: MatrixSelector, t: number): RawSeries[] {
    const end = t - node.vector.offset;
    const start = end - node.range;
    const out: RawSeries[] = [];
    for (const series of this.data.get(node.vector)?.series ?? []) {
      const from = lowerBound(series.ts, start);
      const to = upperBound(series.ts, end);
      if (from >= to) continue;
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = from; i < to; i++) {
        if (isStaleAt(series, i)) continue;
        ts.push(series.ts[i]);
        vs.push(series.vs[i]);
      }
      if (ts.length) out.push({ labels: series.labels, ts, vs });
    }
    return out;
  }

  private subquery(node: Extract<Expr, { kind: 'subquery' }>, t: number): RawSeries[] {
    const step = node.step || 60_000;
    const end = t - node.offset;
    const start = end - node.range;
    const out = new Map<string, RawSeries>();
    // Steps are aligned to multiples of the step, as Prometheus does for subqueries.
    for (let at = Math.ceil(start / step) * step; at <= end; at += step) {
      const v = this.eval(node.expr, at);
      if (v.type !== 'vector') continue;
      for (const s of v.vector) {
        const key = labelsKey(s.labels);
        let series = out.get(key);
        if (!series) {
          series = { labels: s.labels, ts: [], vs: [] };
          out.set(key, series);
        }
        series.ts.push(at);
        series.vs.push(s.value);
      }
    }
    return [...out.values()];
  }
}

function dropNameOf(labels: Record<string, string>): Record<string, string> {
  const { __name__: _, ...rest } = labels;
  return rest;
}
