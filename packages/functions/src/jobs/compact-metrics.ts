import { compactSegments } from '@vigil/dynamo';
import { metricStores } from '../metrics/context';
import { logger } from '../platform/observability';
import { budgetMs, createJobHandler } from './toolkit';

export { budgetMs };

/**
 * Every 5 minutes: fold the segments of closed 2-hour windows into packed blocks and rollups,
 * for as long as the invocation's time allows; the next run goes on where this one stopped.
 */
export const handler = createJobHandler('compact-metrics', async ({ platform, remainingMs }) => {
  const { store, rollups } = metricStores();
  const deadline = Date.now() + budgetMs(remainingMs());
  const result = await compactSegments(store, rollups, platform.clock.now(), { deadline });
  logger.info('compacted metric segments', { ...result });
  return result;
});
