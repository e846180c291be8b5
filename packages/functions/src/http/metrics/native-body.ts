import type { SeriesInput } from '@vigil/core/events';
import { LIMITS } from '@vigil/core/metrics';
import * as z from 'zod';
import { parseWith } from '../toolkit/index';

/** `POST /api/v1/metrics`: series with a name, labels and `[ms, value]` samples. */
export const NativeBody = z.strictObject({
  series: z
    .array(
      z.object({
        name: z.string(),
        labels: z.record(z.string(), z.string()).optional(),
        samples: z.array(z.tuple([z.number(), z.union([z.number(), z.string()])])),
      }),
    )
    .max(LIMITS.seriesPerRequest, `at most ${LIMITS.seriesPerRequest} series per request`),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The series of a body that certainly has the shape `NativeBody` accepts, checked by hand
 * (zod takes longer than the rest of ingest on a large body); undefined when in any doubt.
 */
function plainSeries(body: unknown): SeriesInput[] | undefined {
  if (!isObject(body)) return undefined;
  for (const key of Object.keys(body)) if (key !== 'series') return undefined;
  const series = body.series;
  if (!Array.isArray(series) || series.length > LIMITS.seriesPerRequest) return undefined;
  for (const s of series) {
    if (!isObject(s) || typeof s.name !== 'string') return undefined;
    const labels = s.labels;
    if (labels !== undefined) {
      if (!isObject(labels) || Object.hasOwn(labels, '__proto__')) return undefined;
      for (const key of Object.keys(labels)) if (typeof labels[key] !== 'string') return undefined;
    }
    const samples = s.samples;
    if (!Array.isArray(samples)) return undefined;
    for (const sample of samples) {
      if (!Array.isArray(sample) || sample.length !== 2) return undefined;
      const [t, v] = sample;
      if (typeof t !== 'number' || !Number.isFinite(t)) return undefined;
      if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') return undefined;
    }
  }
  return series as SeriesInput[];
}

/** The series of a native body, or a ValidationError naming each wrong field (from zod). */
export function readNativeBody(body: unknown): SeriesInput[] {
  return plainSeries(body) ?? (parseWith(NativeBody, body, 'body').series as SeriesInput[]);
}
