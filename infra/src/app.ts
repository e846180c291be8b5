/**
 * A plain CDK app of the Vigil platform, so the CloudFormation templates can be synthesized
 * offline (`npm run synth` → cdk.out) without SST or AWS credentials. cdk-nag runs on it.
 */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { emailSubscriptions, type Manifest } from './manifest';
import { VigilPlatform } from './platform';
import { applySuppressions } from './platform/nag';

export interface BuildOptions {
  outdir?: string;
  stage?: string;
  /** CDK context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling in tests. */
  context?: Record<string, unknown>;
  /** Run cdk-nag (AwsSolutions and Serverless) on synthesis. */
  nag?: boolean;
  manifest?: Manifest;
}

/** The app with one stack holding the platform; the account/region are placeholders offline. */
export function buildApp(options: BuildOptions = {}) {
  const stage = options.stage ?? 'dev';
  const app = new App({ outdir: options.outdir ?? 'cdk.out', context: options.context });
  const stack = new Stack(app, `vigil-${stage}`, {
    description: 'Vigil: serverless observability and incident response',
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT ?? '123456789012',
      region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    },
  });
  const platform = new VigilPlatform(stack, 'Vigil', {
    stage,
    manifest: options.manifest,
    // The same per-address filters as `sst deploy` gives (VIGIL_ALERT_EMAILS, as there).
    emailSubscriptions: emailSubscriptions(process.env.VIGIL_ALERT_EMAILS ?? 'oncall@example.com'),
    secretParameters: {},
  });
  applySuppressions(stack);
  if (options.nag) {
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    Aspects.of(app).add(new ServerlessChecks({ verbose: true }));
  }
  return { app, stack, platform };
}

if (process.argv[1]?.endsWith('app.ts')) {
  const { app, stack } = buildApp({ nag: true, stage: process.env.VIGIL_STAGE ?? 'dev' });
  const assembly = app.synth();
  // cdk-nag reports findings as error/warning annotations: an unsuppressed one fails the synth.
  const findings = assembly
    .getStackArtifact(stack.artifactId)
    .messages.filter((m) => m.level !== 'info' && /^(AwsSolutions|Serverless)-/.test(String(m.entry.data)));
  for (const f of findings) process.stderr.write(`${f.level}: ${f.id}: ${String(f.entry.data)}\n`);
  process.stdout.write(`synthesized ${stack.stackName} into ${assembly.directory}\n`);
  if (findings.length) process.exit(1);
}
