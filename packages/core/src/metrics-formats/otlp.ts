import type { SeriesInput } from '../events';

/** OTLP/HTTP JSON `AnyValue`. */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
}
export interface KeyValue {
  key: string;
  value?: AnyValue;
}

/** The text of an AnyValue, as a label value. */
export function anyValueText(v: AnyValue | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return JSON.stringify((v.arrayValue.values ?? []).map(anyValueText));
  if (v.kvlistValue)
    return JSON.stringify(
      Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, anyValueText(kv.value)])),
    );
  return '';
}

/** An OTel name or attribute key as a Prometheus name (`http.server.duration` → `http_server_duration`). */
export function sanitizeName(name: string, metric = false): string {
  let out = name.replace(metric ? /[^a-zA-Z0-9_:]/g : /[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

const RESOURCE_RENAMES: Record<string, string> = {
  'service.name': 'service',
  'service.instance.id': 'instance',
  'service.namespace': 'service_namespace',
};

function attributes(
  list: KeyValue[] | undefined,
  renames: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const value = anyValueText(kv.value);
    if (value === '') continue;
    const key = renames[kv.key] ?? sanitizeName(kv.key);
    if (key.startsWith('__')) continue;
    out[key] = value;
  }
  return out;
}

const nanosToMs = (ns: string | number | undefined, fallback: number): number => {
  if (ns === undefined || ns === '' || ns === '0' || ns === 0) return fallback;
  // Fast path for the usual 19-digit decimal string: drop the last 6 digits.
  if (typeof ns === 'string' && ns.length > 6 && ns.length < 22 && /^\d+$/.test(ns))
    return Number(ns.slice(0, -6));
  return Math.floor(Number(BigInt(String(ns)) / 1_000_000n));
};
const num = (v: string | number | undefined): number => (v === undefined ? 0 : Number(v));

interface DataPoint {
  attributes?: KeyValue[];
  timeUnixNano?: string | number;
  asDouble?: number | string;
  asInt?: string | number;
  count?: string | number;
  sum?: number;
  bucketCounts?: Array<string | number>;
  explicitBounds?: number[];
  quantileValues?: Array<{ quantile?: number; value?: number }>;
  flags?: number;
}

/** The outcome of translating an OTLP export request. */
export interface OtlpTranslation {
  series: SeriesInput[];
  rejectedDataPoints: number;
  messages: string[];
}

/**
 * Translates an OTLP/HTTP JSON metrics export into series, as Prometheus's OTLP receiver does:
 * resource attributes become labels (service.name → service, service.instance.id → instance),
 * monotonic cumulative sums become `_total` counters, histograms `_bucket{le}`/`_sum`/`_count`,
 * summaries `{quantile}`/`_sum`/`_count`. Delta temporality and exponential histograms cannot be
 * stored as Prometheus series and are rejected (reported as partial success).
 */
export function translateOtlpMetrics(body: unknown, now: number): OtlpTranslation {
  const out: SeriesInput[] = [];
  const messages: string[] = [];
  let rejected = 0;
  const root = body as {
    resourceMetrics?: Array<{
      resource?: { attributes?: KeyValue[] };
      // biome-ignore lint/suspicious/noExplicitAny: OTLP JSON is walked field by field with checks
      scopeMetrics?: Array<{ metrics?: Array<Record<string, any>> }>;
    }>;
  };
  for (const rm of root?.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes, RESOURCE_RENAMES);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const metric of sm.metrics ?? []) {
        const base = sanitizeName(String(metric.name ?? ''), true);
        const push = (name: string, extra: Record<string, string>, point: DataPoint, value: number) => {
          out.push({
            name,
            labels: { ...resource, ...attributes(point.attributes), ...extra },
            samples: [[nanosToMs(point.timeUnixNano, now), value]],
          });
        };
        // A data point flagged "no recorded value" is Prometheus's staleness.
        const value = (p: DataPoint) => (p.asDouble !== undefined ? Number(p.asDouble) : num(p.asInt));
        if (metric.gauge) {
          for (const p of metric.gauge.dataPoints ?? []) push(base, {}, p, value(p));
        } else if (metric.sum) {
          const cumulative = metric.sum.aggregationTemporality !== 1;
          const points: DataPoint[] = metric.sum.dataPoints ?? [];
          if (!cumulative) {
            rejected += points.length;
            messages.push(`${metric.name}: delta temporality is not supported; export cumulative sums`);
            continue;
          }
          const name = metric.sum.isMonotonic && !base.endsWith('_total') ? `${base}_total` : base;
          for (const p of points) push(name, {}, p, value(p));
        } else if (metric.histogram) {
          const points: DataPoint[] = metric.histogram.dataPoints ?? [];
          if (metric.histogram.aggregationTemporality === 1) {
            rejected += points.length;
            messages.push(`${metric.name}: delta temporality is not supported; export cumulative histograms`);
            continue;
          }
          for (const p of points) {
            const bounds = p.explicitBounds ?? [];
            const counts = (p.bucketCounts ?? []).map(num);
            let cumulative = 0;
            bounds.forEach((bound, i) => {
              cumulative += counts[i] ?? 0;
              push(`${base}_bucket`, { le: String(bound) }, p, cumulative);
            });
            push(`${base}_bucket`, { le: '+Inf' }, p, num(p.count));
            if (p.sum !== undefined) push(`${base}_sum`, {}, p, Number(p.sum));
            push(`${base}_count`, {}, p, num(p.count));
          }
        } else if (metric.summary) {
          for (const p of metric.summary.dataPoints ?? []) {
            for (const q of p.quantileValues ?? [])
              push(base, { quantile: String(q.quantile ?? 0) }, p, Number(q.value ?? 0));
            push(`${base}_sum`, {}, p, Number(p.sum ?? 0));
            push(`${base}_count`, {}, p, num(p.count));
          }
        } else if (metric.exponentialHistogram) {
          const n = metric.exponentialHistogram.dataPoints?.length ?? 0;
          rejected += n;
          messages.push(`${metric.name}: exponential histograms are not supported yet`);
        } else {
          rejected++;
          messages.push(`${metric.name}: no data`);
        }
      }
    }
  }
  return { series: out, rejectedDataPoints: rejected, messages };
}
