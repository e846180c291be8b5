import { compactSegments } from '@vigil/dynamo';
import { metricStores } from '../metrics/context';
import { logger } from '../platform/observability';
import { createJobHandler } from './toolkit';

/** Every 5 minutes: fold metric segments into per-series Gorilla blocks and rollups. */
export const handler = createJobHandler('compact-metrics', async () => {
  const { store, rollups } = metricStores();
  const result = await compactSegments(store, rollups);
  logger.info('compacted metric segments', { ...result });
  return result;
});
