import type { SeriesInput } from '../events';
import { staleSample } from '../metrics/stale';

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
const NO_RENAMES: Record<string, string> = {};

function attributes(list: KeyValue[] | undefined, renames = NO_RENAMES): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const value = anyValueText(kv.value);
    if (value === '') continue;
    // Own keys only: an attribute named `constructor` is a label, not Object's constructor.
    const key = Object.hasOwn(renames, kv.key) ? renames[kv.key] : sanitizeName(kv.key);
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

/**
 * Whether a point is flagged "no recorded value" (DataPointFlags bit 0): the series stopped, which
 * Prometheus records as a staleness marker for every series the point makes.
 */
export const noRecordedValue = (p: DataPoint): boolean => (Number(p.flags ?? 0) & 1) === 1;

/** One OTLP data point of any metric kind, as the JSON encoding spells it. */
export interface DataPoint {
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

/** A resource of the request: its labels and its position, which tells resources apart. */
export interface OtlpResource {
  index: number;
  labels: Record<string, string>;
}

/**
 * Receives the samples of an OTLP walk. A sample's labels are the resource's labels, then the
 * point's attributes, then the label `extraName` (`le`, `quantile`) when given.
 */
export interface OtlpSink {
  sample(
    name: string,
    resource: OtlpResource,
    point: DataPoint,
    time: number,
    value: number,
    extraName?: string,
    extraValue?: string,
  ): void;
}

/** What an OTLP walk refused outright (delta temporality, exponential histograms). */
export interface OtlpRejections {
  rejectedDataPoints: number;
  messages: string[];
}

/** The outcome of translating an OTLP export request. */
export interface OtlpTranslation extends OtlpRejections {
  series: SeriesInput[];
}

/** The labels of one sample, as the sink contract spells them. */
export function pointLabels(
  resource: OtlpResource,
  point: DataPoint,
  extraName?: string,
  extraValue?: string,
): Record<string, string> {
  const labels = { ...resource.labels, ...attributes(point.attributes) };
  if (extraName !== undefined) labels[extraName] = extraValue as string;
  return labels;
}

/**
 * Translates an OTLP/HTTP JSON metrics export into series, as Prometheus's OTLP receiver does:
 * resource attributes become labels (service.name → service, service.instance.id → instance),
 * monotonic cumulative sums become `_total` counters, histograms `_bucket{le}`/`_sum`/`_count`,
 * summaries `{quantile}`/`_sum`/`_count`. Delta temporality and exponential histograms cannot be
 * stored as Prometheus series and are rejected (reported as partial success).
 */
export function translateOtlpMetrics(body: unknown, now: number): OtlpTranslation {
  const series: SeriesInput[] = [];
  const rejections = walkOtlpMetrics(body, now, {
    sample(name, resource, point, time, value, extraName, extraValue) {
      series.push({
        name,
        labels: pointLabels(resource, point, extraName, extraValue),
        samples: [noRecordedValue(point) ? staleSample(time) : [time, value]],
      });
    },
  });
  return { series, ...rejections };
}

/** Walks an OTLP/HTTP JSON metrics export, handing every sample to `sink` (see `translateOtlpMetrics`). */
export function walkOtlpMetrics(body: unknown, now: number, sink: OtlpSink): OtlpRejections {
  const messages: string[] = [];
  let rejected = 0;
  const root = body as {
    resourceMetrics?: Array<{
      resource?: { attributes?: KeyValue[] };
      // biome-ignore lint/suspicious/noExplicitAny: OTLP JSON is walked field by field with checks
      scopeMetrics?: Array<{ metrics?: Array<Record<string, any>> }>;
    }>;
  };
  // Points of one export mostly share a timestamp: convert each distinct one once.
  let lastNs: unknown = Symbol('none');
  let lastMs = 0;
  const toMs = (ns: string | number | undefined): number => {
    if (ns !== lastNs) {
      lastMs = nanosToMs(ns, now);
      lastNs = ns;
    }
    return lastMs;
  };
  let index = 0;
  for (const rm of root?.resourceMetrics ?? []) {
    const resource: OtlpResource = {
      index: index++,
      labels: attributes(rm.resource?.attributes, RESOURCE_RENAMES),
    };
    for (const sm of rm.scopeMetrics ?? []) {
      for (const metric of sm.metrics ?? []) {
        const base = sanitizeName(String(metric.name ?? ''), true);
        const value = (p: DataPoint) => (p.asDouble !== undefined ? Number(p.asDouble) : num(p.asInt));
        if (metric.gauge) {
          for (const p of metric.gauge.dataPoints ?? [])
            sink.sample(base, resource, p, toMs(p.timeUnixNano), value(p));
        } else if (metric.sum) {
          const cumulative = metric.sum.aggregationTemporality !== 1;
          const points: DataPoint[] = metric.sum.dataPoints ?? [];
          if (!cumulative) {
            rejected += points.length;
            messages.push(`${metric.name}: delta temporality is not supported; export cumulative sums`);
            continue;
          }
          const name = metric.sum.isMonotonic && !base.endsWith('_total') ? `${base}_total` : base;
          for (const p of points) sink.sample(name, resource, p, toMs(p.timeUnixNano), value(p));
        } else if (metric.histogram) {
          const points: DataPoint[] = metric.histogram.dataPoints ?? [];
          if (metric.histogram.aggregationTemporality === 1) {
            rejected += points.length;
            messages.push(`${metric.name}: delta temporality is not supported; export cumulative histograms`);
            continue;
          }
          const bucket = `${base}_bucket`;
          for (const p of points) {
            const time = toMs(p.timeUnixNano);
            const bounds = p.explicitBounds ?? [];
            const counts = (p.bucketCounts ?? []).map(num);
            let cumulative = 0;
            bounds.forEach((bound, i) => {
              cumulative += counts[i] ?? 0;
              sink.sample(bucket, resource, p, time, cumulative, 'le', String(bound));
            });
            sink.sample(bucket, resource, p, time, num(p.count), 'le', '+Inf');
            if (p.sum !== undefined) sink.sample(`${base}_sum`, resource, p, time, Number(p.sum));
            sink.sample(`${base}_count`, resource, p, time, num(p.count));
          }
        } else if (metric.summary) {
          for (const p of metric.summary.dataPoints ?? []) {
            const time = toMs(p.timeUnixNano);
            for (const q of p.quantileValues ?? [])
              sink.sample(base, resource, p, time, Number(q.value ?? 0), 'quantile', String(q.quantile ?? 0));
            sink.sample(`${base}_sum`, resource, p, time, Number(p.sum ?? 0));
            sink.sample(`${base}_count`, resource, p, time, num(p.count));
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
  return { rejectedDataPoints: rejected, messages };
}
