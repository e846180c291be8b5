import { detectAnomalies } from '../insight/anomalies';
import { createJobHandler } from './toolkit';

/** Every 5 minutes: score the newest points of every watched series. */
export const handler = createJobHandler('detect-anomalies', async ({ platform }) => ({
  anomalies: await detectAnomalies(platform, platform.clock.now()),
}));
