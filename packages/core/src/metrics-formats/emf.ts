import type { SeriesInput } from '../events';
import { sanitizeName } from './otlp';

/** CloudWatch caps an EMF metric's value array at 100 values; more are not metrics. */
const MAX_VALUES = 100;

interface Directive {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A dimension value as a label value; objects and absent members give none. */
function dimensionValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** True when a record carries CloudWatch Embedded Metric Format metadata (`_aws.CloudWatchMetrics`). */
export function isEmf(record: unknown): record is Record<string, unknown> {
  return isObject(record) && isObject(record._aws) && Array.isArray(record._aws.CloudWatchMetrics);
}

/**
 * The metric samples of one CloudWatch Embedded Metric Format record (what Powertools Metrics
 * prints), as CloudWatch would extract them: each directive's metrics once per dimension set,
 * the dimension values read from the record's members. Names follow Prometheus rules
 * (`latency.p` → `latency_p`), dimensions are labels and the directive's namespace is the
 * `namespace` label. A metric's array value (several observations in one line) gives one sample
 * per value, 1 ms apart, so that none overwrites another. The time is `_aws.Timestamp`, else
 * `fallbackMs`. Dimension sets naming a missing member and non-numeric values are skipped, as
 * CloudWatch skips them; a record that is not EMF gives nothing.
 */
export function emfSeries(record: unknown, fallbackMs: number): SeriesInput[] {
  if (!isEmf(record)) return [];
  const aws = record._aws as Record<string, unknown>;
  const stamp = aws.Timestamp;
  const t = typeof stamp === 'number' && Number.isFinite(stamp) && stamp > 0 ? Math.round(stamp) : fallbackMs;
  const out: SeriesInput[] = [];
  for (const directive of aws.CloudWatchMetrics as Directive[]) {
    if (!isObject(directive) || typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics))
      continue;
    const sets =
      Array.isArray(directive.Dimensions) && directive.Dimensions.length ? directive.Dimensions : [[]];
    const labelSets: Array<Record<string, string>> = [];
    for (const set of sets) {
      if (!Array.isArray(set)) continue;
      const labels: Record<string, string> = {};
      let complete = true;
      for (const key of set) {
        const value = typeof key === 'string' ? dimensionValue(record[key]) : undefined;
        if (value === undefined) complete = false;
        else if (value !== '') labels[sanitizeName(key)] = value;
      }
      if (!complete) continue;
      labels.namespace = directive.Namespace;
      labelSets.push(labels);
    }
    for (const metric of directive.Metrics as unknown[]) {
      const name = isObject(metric) && typeof metric.Name === 'string' ? metric.Name : '';
      if (!name) continue;
      const raw = record[name];
      const values = (Array.isArray(raw) ? raw.slice(0, MAX_VALUES) : [raw]).filter(
        (v): v is number => typeof v === 'number' && Number.isFinite(v),
      );
      if (!values.length) continue;
      const samples = values.map((v, i): [number, number] => [t + i, v]);
      for (const labels of labelSets)
        out.push({ name: sanitizeName(name, true), labels: { ...labels }, samples });
    }
  }
  return out;
}
