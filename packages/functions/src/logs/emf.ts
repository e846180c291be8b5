import type { SeriesInput } from '@vigil/core/events';
import { emfSeries, isEmf } from '@vigil/core/metrics-formats';
import { ingestSeries } from '../metrics/write';
import { logger } from '../platform/observability';

/** Samples an ingest call stored from EMF lines, and those refused. */
export interface EmfOutcome {
  accepted: number;
  rejected: number;
}

/**
 * The metric series of those parsed log records that are in CloudWatch Embedded Metric Format;
 * `timeOf(i)` is record i's time, used when it has no `_aws.Timestamp`. Read before the records
 * are stored, as storing may normalize them.
 */
export function emfOf(records: readonly unknown[], timeOf: (index: number) => number): SeriesInput[] {
  const series: SeriesInput[] = [];
  for (let i = 0; i < records.length; i++)
    if (isEmf(records[i])) for (const s of emfSeries(records[i], timeOf(i))) series.push(s);
  return series;
}

/**
 * Stores EMF series through the metrics ingest path (as `POST /api/v1/metrics` would);
 * undefined when there were none.
 */
export async function storeEmf(series: SeriesInput[], now: number): Promise<EmfOutcome | undefined> {
  if (!series.length) return undefined;
  const outcome = await ingestSeries(series, now);
  if (outcome.rejected)
    logger.warn('EMF metric samples rejected', { rejected: outcome.rejected, first: outcome.errors[0] });
  return { accepted: outcome.accepted, rejected: outcome.rejected };
}

/** The parsed JSON of a log line that looks like EMF (a cheap test first), else undefined. */
export function parseEmfLine(line: string): unknown {
  if (!line.includes('"_aws"')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
