import type { AlertGroupEvent } from '@vigil/core/events';
import type { Platform } from '../platform/context';

/**
 * Called by the notification pipeline for every flushed alert group: the incidents domain
 * opens an incident for high/critical groups (dedup key = group key), links re-fires and
 * records resolutions.
 */
export async function onAlertGroup(_platform: Platform, _event: AlertGroupEvent): Promise<void> {}
