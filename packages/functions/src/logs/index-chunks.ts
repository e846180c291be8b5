import { indexLogChunks } from '@vigil/dynamo';
import { budgetMs, createJobHandler } from '../jobs/toolkit';
import { logger } from '../platform/observability';

/**
 * Every minute: gives the log chunks ingest wrote since the last run their token filters, so
 * searches skip them again (until then a search reads them whole).
 */
export const handler = createJobHandler('index-logs', async ({ platform, remainingMs }) => {
  const deadline = Date.now() + budgetMs(remainingMs());
  const result = await indexLogChunks(platform.tables.logs, platform.clock.now(), deadline);
  if (result.indexed || result.dropped) logger.info('indexed log chunks', { ...result });
  return result;
});
