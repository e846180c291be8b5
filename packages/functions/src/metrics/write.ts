import type { FieldError } from '@vigil/core';
import type { SeriesInput } from '@vigil/core/events';
import { LIMITS } from '@vigil/core/metrics';
import { SeriesBatch } from '@vigil/core/metrics-formats';
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
  const batch = new SeriesBatch();
  for (const s of input) batch.add(s);
  return writeBatch(batch, now);
}

/** Writes the valid series of a batch (one entry per label set); reports what it refused. */
export async function writeBatch(batch: SeriesBatch, now: number): Promise<WriteOutcome> {
  const { series, accepted, rejected, errors } = batch.result();
  if (series.length) await metricStores().store.write(series, now);
  return { accepted, rejected, errors };
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
