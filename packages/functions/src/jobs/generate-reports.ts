import { generateAndSend } from '../insight/reports';
import { createJobHandler } from './toolkit';

/** Daily at 08:00 UTC an executive report of the last day; on Mondays one of the last week. */
export const handler = createJobHandler('generate-reports', async ({ platform, scheduledAt }) => {
  const weekly = new Date(scheduledAt).getUTCDay() === 1;
  const report = await generateAndSend(platform, 'executive', platform.clock.now(), weekly ? 7 : 1);
  return { report: report.id, weekly };
});
