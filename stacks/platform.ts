import type { StackContext } from 'sst/constructs';
import { VigilPlatform } from '../infra/src/platform';
import { applySuppressions } from '../infra/src/platform/nag';

/**
 * Thin SST wiring of the VigilPlatform construct. Configuration comes from the stage and the
 * environment of `sst deploy`: VIGIL_ALERT_EMAILS (comma-separated addresses subscribed to
 * email notifications) and VIGIL_DASHBOARD_ORIGIN (a custom dashboard origin for CORS).
 */
export function Platform({ stack, app }: StackContext) {
  const platform = new VigilPlatform(stack, 'Vigil', {
    stage: app.stage,
    emailSubscriptions: (process.env.VIGIL_ALERT_EMAILS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((address) => ({ address })),
    dashboardOrigin: process.env.VIGIL_DASHBOARD_ORIGIN,
    logLevel: app.stage === 'prod' ? 'INFO' : 'DEBUG',
  });
  applySuppressions(stack);
  stack.addOutputs({ ApiUrl: platform.api.apiEndpoint });
}
