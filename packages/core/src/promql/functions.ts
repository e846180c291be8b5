import type { Call, Expr } from './ast';
import { PromQLExecutionError } from './errors';
import { bucketQuantile } from './histogram';
import { dropName, type Labels, labelsKey } from './labels';
import { rangeFunction } from './range-functions';
import type { Value, Vector } from './values';

const KEEP_NAME = new Set(['last_over_time', 'sort', 'sort_desc', 'label_replace', 'label_join']);
const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: Math.sign,
};
const DATE: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_month: (d) => d.getUTCDate(),
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

const scalarOf = (v: Value): number => (v.type === 'scalar' ? v.value : Number.NaN);
const vectorOf = (v: Value): Vector => (v.type === 'vector' ? v.vector : []);
const stringOf = (v: Value): string => (v.type === 'string' ? v.value : '');

/** Evaluates a function call at time t (ms); `evalArg` evaluates an argument at the same time. */
export function callFunction(call: Call, t: number, evalArg: (e: Expr) => Value): Value {
  const name = call.func;
  const args = call.args;
  const vector = (out: Vector): Value => ({ type: 'vector', vector: out });

  const rangeArgIndex = args.findIndex((a) => a.kind === 'matrix' || a.kind === 'subquery');
  if (rangeArgIndex >= 0 && name !== 'absent_over_time') {
    const range = evalArg(args[rangeArgIndex]);
    const scalar =
      rangeArgIndex > 0 ? scalarOf(evalArg(args[0])) : args[1] ? scalarOf(evalArg(args[1])) : undefined;
    const out: Vector = [];
    const rangeMs =
      args[rangeArgIndex].kind === 'matrix'
        ? (args[rangeArgIndex] as { range: number }).range
        : (args[rangeArgIndex] as { range: number }).range;
    const offset =
      args[rangeArgIndex].kind === 'matrix'
        ? (args[rangeArgIndex] as { vector: { offset: number } }).vector.offset
        : (args[rangeArgIndex] as { offset: number }).offset;
    for (const series of range.type === 'matrix' ? range.series : []) {
      const value = rangeFunction(
        name,
        { ts: series.ts, vs: series.vs, start: t - offset - rangeMs, end: t - offset },
        scalar,
      );
      if (value === undefined) continue;
      out.push({ labels: KEEP_NAME.has(name) ? series.labels : dropName(series.labels), value });
    }
    return vector(out);
  }

  switch (name) {
    case 'time':
      return { type: 'scalar', value: t / 1000 };
    case 'vector':
      return vector([{ labels: {}, value: scalarOf(evalArg(args[0])) }]);
    case 'scalar': {
      const v = vectorOf(evalArg(args[0]));
      return { type: 'scalar', value: v.length === 1 ? v[0].value : Number.NaN };
    }
    case 'absent':
    case 'absent_over_time': {
      const arg = evalArg(args[0]);
      const present =
        arg.type === 'vector' ? arg.vector.length > 0 : arg.type === 'matrix' ? arg.series.length > 0 : true;
      if (present) return vector([]);
      return vector([{ labels: absentLabels(args[0]), value: 1 }]);
    }
    case 'histogram_quantile': {
      const q = scalarOf(evalArg(args[0]));
      const groups = new Map<string, { labels: Labels; buckets: Array<{ le: number; count: number }> }>();
      for (const s of vectorOf(evalArg(args[1]))) {
        const le = s.labels.le;
        if (le === undefined) continue;
        const { le: _, ...rest } = dropName(s.labels);
        const key = labelsKey(rest);
        let group = groups.get(key);
        if (!group) {
          group = { labels: rest, buckets: [] };
          groups.set(key, group);
        }
        group.buckets.push({ le: parseLe(le), count: s.value });
      }
      return vector(
        [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets) })),
      );
    }
    case 'round': {
      const to = args[1] ? scalarOf(evalArg(args[1])) : 1;
      const inverse = 1 / to;
      return vector(
        vectorOf(evalArg(args[0])).map((s) => ({
          labels: dropName(s.labels),
          value: Math.floor(s.value * inverse + 0.5) / inverse,
        })),
      );
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const input = vectorOf(evalArg(args[0]));
      const lo = name === 'clamp_max' ? Number.NEGATIVE_INFINITY : scalarOf(evalArg(args[1]));
      const hi =
        name === 'clamp_min' ? Number.POSITIVE_INFINITY : scalarOf(evalArg(args[name === 'clamp' ? 2 : 1]));
      if (name === 'clamp' && hi < lo) return vector([]);
      return vector(
        input.map((s) => ({ labels: dropName(s.labels), value: Math.max(lo, Math.min(hi, s.value)) })),
      );
    }
    case 'timestamp':
      return vector(vectorOf(evalArg(args[0])).map((s) => ({ labels: dropName(s.labels), value: t / 1000 })));
    case 'sort':
    case 'sort_desc': {
      const sign = name === 'sort' ? 1 : -1;
      return vector(
        [...vectorOf(evalArg(args[0]))].sort((a, b) =>
          Number.isNaN(a.value) ? 1 : Number.isNaN(b.value) ? -1 : sign * (a.value - b.value),
        ),
      );
    }
    case 'label_replace': {
      const [dst, replacement, src, regex] = args.slice(1).map((a) => stringOf(evalArg(a)));
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${regex})$`, 's');
      } catch {
        throw new PromQLExecutionError(`invalid regular expression in label_replace(): ${regex}`);
      }
      return vector(
        vectorOf(evalArg(args[0])).map((s) => {
          const m = re.exec(s.labels[src] ?? '');
          if (!m) return s;
          const value = replacement.replace(/\$(\d+)|\$\{(\w+)\}/g, (_, n, g) =>
            n !== undefined ? (m[Number(n)] ?? '') : (m.groups?.[g] ?? ''),
          );
          const labels = { ...s.labels };
          if (value === '') delete labels[dst];
          else labels[dst] = value;
          return { labels, value: s.value };
        }),
      );
    }
    case 'label_join': {
      const [dst, sep, ...srcs] = args.slice(1).map((a) => stringOf(evalArg(a)));
      return vector(
        vectorOf(evalArg(args[0])).map((s) => ({
          labels: { ...s.labels, [dst]: srcs.map((l) => s.labels[l] ?? '').join(sep) },
          value: s.value,
        })),
      );
    }
  }
  if (name in MATH)
    return vector(
      vectorOf(evalArg(args[0])).map((s) => ({ labels: dropName(s.labels), value: MATH[name](s.value) })),
    );
  if (name in DATE) {
    if (!args.length) return vector([{ labels: {}, value: DATE[name](new Date(t)) }]);
    return vector(
      vectorOf(evalArg(args[0])).map((s) => ({
        labels: dropName(s.labels),
        value: DATE[name](new Date(s.value * 1000)),
      })),
    );
  }
  throw new PromQLExecutionError(`function "${name}" is not supported`);
}

function parseLe(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  return Number(text);
}

/** absent() labels: the equality matchers of the selector (other than the name). */
function absentLabels(arg: Expr): Labels {
  const selector = arg.kind === 'vector' ? arg : arg.kind === 'matrix' ? arg.vector : undefined;
  if (!selector) return {};
  const labels: Labels = {};
  const seen = new Map<string, number>();
  for (const m of selector.matchers) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  for (const m of selector.matchers)
    if (m.type === '=' && m.name !== '__name__' && seen.get(m.name) === 1) labels[m.name] = m.value;
  return labels;
}
