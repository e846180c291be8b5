/**
 * A plain CDK app of the Vigil platform, so the CloudFormation templates can be synthesized
 * offline (`npm run synth` → cdk.out) without SST or AWS credentials.
 */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { VigilPlatform } from './platform';
import { applySuppressions } from './platform/nag';

export function buildApp(
  options: { outdir?: string; stage?: string; context?: Record<string, unknown>; nag?: boolean } = {},
) {
  const app = new App({ outdir: options.outdir ?? 'cdk.out', context: options.context });
  const stack = new Stack(app, `vigil-${options.stage ?? 'dev'}`, {
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT ?? '123456789012',
      region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    },
  });
  const platform = new VigilPlatform(stack, 'Vigil', {
    stage: options.stage ?? 'dev',
    emailSubscriptions: [{ address: 'oncall@example.com' }],
  });
  if (!process.env.NO_SUPPRESS) applySuppressions(stack);
  if (options.nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack, platform };
}

if (process.argv[1]?.endsWith('app.ts')) {
  const { app } = buildApp({ nag: true });
  app.synth();
}
