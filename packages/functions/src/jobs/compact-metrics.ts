import { compactSegments } from '@vigil/dynamo';
import { metricStores } from '../metrics/context';
import { logger } from '../platform/observability';
import { createJobHandler } from './toolkit';

/** Without a Lambda context (a direct call) a run works this long before it saves its progress. */
const DEFAULT_BUDGET_MS = 240_000;

/**
 * How long a run may work out of the time its invocation has left: the rest is kept for the
 * group being folded when the budget ends, and for saving progress.
 */
export function budgetMs(remainingMs: number): number {
  if (!Number.isFinite(remainingMs)) return DEFAULT_BUDGET_MS;
  return Math.max(0, remainingMs - Math.max(5_000, remainingMs * 0.15));
}

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
