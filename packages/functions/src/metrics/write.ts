import type { SeriesInput } from '@vigil/core/events';
import type { Platform } from '../platform/context';

/**
 * Writes series into the metrics store exactly as `POST /api/v1/metrics` does; Vigil's own
 * request metrics go through here. The metrics domain implements it.
 */
export async function writeSeries(_platform: Platform, _series: SeriesInput[], _now: number): Promise<{ accepted: number; rejected: number }> {
  throw new Error('the metrics store is not available in this build');
}
