import type { Aggregate } from './ast';
import { PromQLExecutionError } from './errors';
import { dropName, type Labels, labelsKey, pick } from './labels';
import { quantile } from './range-functions';
import { formatValue, type Sample, type Vector } from './values';

function groupLabels(labels: Labels, node: Aggregate): Labels {
  if (node.without) return pick(dropName(labels), node.grouping, false);
  return pick(labels, node.grouping, true);
}

/** Evaluates `sum by (…)`, `topk(k, …)` and the other aggregation operators on one vector. */
export function aggregate(node: Aggregate, input: Vector, param: number | string | undefined): Vector {
  const groups = new Map<string, { labels: Labels; samples: Sample[] }>();
  for (const sample of input) {
    const labels = groupLabels(sample.labels, node);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) {
      group = { labels, samples: [] };
      groups.set(key, group);
    }
    group.samples.push(sample);
  }
  const out: Vector = [];
  for (const { labels, samples } of groups.values()) {
    const vs = samples.map((s) => s.value);
    switch (node.op) {
      case 'sum':
        out.push({ labels, value: vs.reduce((a, b) => a + b, 0) });
        break;
      case 'avg': {
        let mean = 0;
        vs.forEach((v, i) => {
          mean += (v - mean) / (i + 1);
        });
        out.push({ labels, value: mean });
        break;
      }
      case 'count':
        out.push({ labels, value: vs.length });
        break;
      case 'group':
        out.push({ labels, value: 1 });
        break;
      case 'min':
        out.push({ labels, value: vs.reduce((a, b) => (b < a || Number.isNaN(a) ? b : a)) });
        break;
      case 'max':
        out.push({ labels, value: vs.reduce((a, b) => (b > a || Number.isNaN(a) ? b : a)) });
        break;
      case 'stddev':
      case 'stdvar': {
        let mean = 0;
        let m2 = 0;
        vs.forEach((v, i) => {
          const d = v - mean;
          mean += d / (i + 1);
          m2 += d * (v - mean);
        });
        const variance = m2 / vs.length;
        out.push({ labels, value: node.op === 'stddev' ? Math.sqrt(variance) : variance });
        break;
      }
      case 'quantile':
        out.push({ labels, value: quantile(Number(param), vs) });
        break;
      case 'topk':
      case 'bottomk': {
        const k = Math.floor(Number(param));
        if (!Number.isFinite(Number(param)))
          throw new PromQLExecutionError(`Scalar value ${param} overflows int64`);
        if (k < 1) break;
        const sign = node.op === 'topk' ? -1 : 1;
        const sorted = [...samples].sort((a, b) => {
          if (Number.isNaN(a.value)) return 1;
          if (Number.isNaN(b.value)) return -1;
          return sign * (a.value - b.value);
        });
        out.push(...sorted.slice(0, k));
        break;
      }
      case 'count_values': {
        const counts = new Map<string, number>();
        for (const v of vs) counts.set(formatValue(v), (counts.get(formatValue(v)) ?? 0) + 1);
        for (const [value, count] of counts)
          out.push({ labels: { ...labels, [String(param)]: value }, value: count });
        break;
      }
    }
  }
  return out;
}
