import { Config, type StackContext } from 'sst/constructs';
import { emailSubscriptions, manifest } from '../infra/src/manifest';
import { VigilPlatform } from '../infra/src/platform';
import { applySuppressions } from '../infra/src/platform/nag';

/** Secrets every deployment offers, besides any a manifest row declares. */
const KNOWN_SECRETS = ['slack-webhook-url', 'pagerduty-routing-key'];

/**
 * Thin SST v2 wiring of the VigilPlatform construct. The stage picks the posture (`prod`:
 * tables retained and deletion-protected, INFO logs; anything else disposable, DEBUG logs).
 * Secrets are SST `Config.Secret`s (`npx sst secrets set SLACK_WEBHOOK_URL …`), stored as
 * SecureString SSM parameters: functions get only the parameter's name and read the value at run
 * time. Plain settings come from the environment of `sst deploy`: VIGIL_ALERT_EMAILS
 * (comma-separated addresses for email notifications) and VIGIL_DASHBOARD_ORIGINS (extra CORS
 * origins, comma-separated).
 */
export function Platform({ stack, app }: StackContext) {
  const declared = manifest.functions.flatMap((f) => f.secrets ?? []);
  const secretParameters: Record<string, string> = {};
  for (const secret of new Set([...KNOWN_SECRETS, ...declared])) {
    const id = secret.toUpperCase().replace(/\W/g, '_');
    new Config.Secret(stack, id);
    secretParameters[secret] = `/sst/${app.name}/${app.stage}/Secret/${id}/value`;
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const prod = app.stage === 'prod';
  const platform = new VigilPlatform(stack, 'Vigil', {
    stage: app.stage,
    emailSubscriptions: emailSubscriptions(process.env.VIGIL_ALERT_EMAILS),
    dashboardOrigins: list(process.env.VIGIL_DASHBOARD_ORIGINS),
    secretParameters,
    logLevel: prod ? 'INFO' : 'DEBUG',
    throttle: prod ? { rate: 500, burst: 1000 } : { rate: 100, burst: 200 },
  });
  applySuppressions(stack);
  const cloudWatchLogs = platform.functions.get('ingest-cloudwatch-logs');
  stack.addOutputs({
    ApiUrl: platform.api.httpApi.apiEndpoint,
    DashboardUrl: platform.site.url,
    // `aws logs put-subscription-filter --destination-arn <this>` ships a log group to Vigil.
    ...(cloudWatchLogs ? { CloudWatchLogsDestinationArn: cloudWatchLogs.functionArn } : {}),
  });
}
