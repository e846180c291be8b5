import { compactSegments } from '@vigil/dynamo';
import { metricStores } from '../metrics/context';
import { logger } from '../platform/observability';
import { createJobHandler } from './toolkit';

/** Every 5 minutes: fold the segments of closed 2-hour windows into packed blocks and rollups. */
export const handler = createJobHandler('compact-metrics', async ({ platform }) => {
  const { store, rollups } = metricStores();
  const result = await compactSegments(store, rollups, platform.clock.now());
  logger.info('compacted metric segments', { ...result });
  return result;
});
