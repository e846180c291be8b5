import { runScheduledReports } from '../insight/reports/index';
import { createJobHandler } from './toolkit';

/**
 * Daily at 08:00 UTC an executive report of the last day; on Mondays also the weekly set
 * (executive, performance, trend, usage) of the last week. Each is sent once per day.
 */
export const handler = createJobHandler('generate-reports', async ({ platform, scheduledAt }) => ({
  sent: await runScheduledReports(platform, scheduledAt, platform.clock.now()),
}));
