import { raiseBurnAlerts } from '../insight/burn-alerts';
import { createJobHandler } from './toolkit';

/** Every 5 minutes: raise and resolve the SLOs' multi-window burn-rate alerts. */
export const handler = createJobHandler('evaluate-slos', async ({ platform }) =>
  raiseBurnAlerts(platform, platform.clock.now()),
);
