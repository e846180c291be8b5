import { compactLogChunks } from '@vigil/dynamo';
import { createJobHandler } from '../jobs/toolkit';
import { logger } from '../platform/observability';

/** Hourly: merge the small log chunks of small ingest requests once no tail can need them. */
export const handler = createJobHandler('compact-logs', async ({ platform }) => {
  const result = await compactLogChunks(platform.tables.logs, platform.clock.now());
  logger.info('compacted log chunks', { ...result });
  return result;
});
