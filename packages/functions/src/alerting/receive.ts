import type { PostableAlert } from '@vigil/core/events';
import type { Platform } from '../platform/context';
import { receiveAlerts as receive } from './pipeline';

/**
 * Puts alerts into the notification pipeline (inhibition, silences, routing, grouping), the
 * same path as `POST /api/v2/alerts`. Other domains (SLO burn rates, anomalies) raise alerts
 * through this function.
 */
export async function receiveAlerts(platform: Platform, alerts: PostableAlert[], now: number): Promise<void> {
  await receive(platform, alerts, now);
}
