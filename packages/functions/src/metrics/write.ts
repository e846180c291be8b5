import type { FieldError } from '@vigil/core';
import type { SeriesInput } from '@vigil/core/events';
import { LIMITS, type NormalizedSeries, validateSeries } from '@vigil/core/metrics';
import type { Platform } from '../platform/context';
import { metricStores } from './context';

/** What an ingest call stored and what it refused, field by field. */
export interface WriteOutcome {
  accepted: number;
  rejected: number;
  errors: FieldError[];
}

/** Validates series and writes the valid ones; sample counts are what the client sent. */
export async function ingestSeries(input: SeriesInput[], now: number): Promise<WriteOutcome> {
  const valid: NormalizedSeries[] = [];
  const errors: FieldError[] = [];
  let rejected = 0;
  input.forEach((s, i) => {
    const { series, errors: wrong } = validateSeries(s, i);
    if (series) valid.push(series);
    else {
      rejected += Array.isArray(s?.samples) ? Math.max(1, s.samples.length) : 1;
      errors.push(...wrong);
    }
  });
  const merged = mergeDuplicates(valid);
  if (merged.length) await metricStores().store.write(merged, now);
  return {
    accepted: merged.reduce((n, s) => n + s.samples.length, 0),
    rejected,
    errors: errors.slice(0, 100),
  };
}

/** One entry per series: several entries for the same labels in one request are merged. */
function mergeDuplicates(series: NormalizedSeries[]): NormalizedSeries[] {
  const byId = new Map<string, NormalizedSeries>();
  // Copied only when a second entry arrives, so the usual one-entry-per-series case copies nothing.
  const copied = new Set<string>();
  for (const s of series) {
    const existing = byId.get(s.id);
    if (!existing) byId.set(s.id, s);
    else if (copied.has(s.id)) existing.samples.push(...s.samples);
    else {
      byId.set(s.id, { ...existing, samples: [...existing.samples, ...s.samples] });
      copied.add(s.id);
    }
  }
  return [...byId.values()];
}

export { LIMITS };

/**
 * Writes series into the metrics store exactly as `POST /api/v1/metrics` does; Vigil's own
 * request metrics go through here.
 */
export async function writeSeries(
  _platform: Platform,
  series: SeriesInput[],
  now: number,
): Promise<{ accepted: number; rejected: number }> {
  const { accepted, rejected } = await ingestSeries(series, now);
  return { accepted, rejected };
}
