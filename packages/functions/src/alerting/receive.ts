import type { PostableAlert } from '@vigil/core/events';
import type { Platform } from '../platform/context';

/**
 * Puts alerts into the notification pipeline (inhibition, silences, routing, grouping), the
 * same path as `POST /api/v2/alerts`. Other domains (SLO burn rates, anomalies) raise alerts
 * through this function. The alerting domain implements it.
 */
export async function receiveAlerts(_platform: Platform, _alerts: PostableAlert[], _now: number): Promise<void> {
  throw new Error('the alerting pipeline is not available in this build');
}
