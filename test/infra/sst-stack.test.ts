import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { StackContext } from 'sst/constructs';
import { describe, expect, it } from 'vitest';
import { NO_BUNDLING } from '../../infra/src/platform/testing';
import { Platform } from '../../stacks/platform';

/** Just enough of SST's App and Stack to run the stack function offline. */
class FakeSstApp extends App {
  readonly name = 'vigil';
  constructor(readonly stage: string) {
    super({ context: NO_BUNDLING });
  }
  registerTypes(): void {}
}
class FakeSstStack extends Stack {
  addOutputs(outputs: Record<string, string>): void {
    for (const [id, value] of Object.entries(outputs)) new CfnOutput(this, id, { value });
  }
}

function run(stage: string) {
  const app = new FakeSstApp(stage);
  const stack = new FakeSstStack(app, `${stage}-vigil-Platform`, {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  Platform({ app, stack } as unknown as StackContext);
  return Template.fromStack(stack);
}

describe('the SST stack', () => {
  it('deploys prod with retained, deletion-protected tables and INFO logs', () => {
    const t = run('prod');
    for (const table of Object.values(t.findResources('AWS::DynamoDB::Table'))) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
    const fns = Object.values(t.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Runtime === 'nodejs22.x',
    );
    for (const f of fns) expect(f.Properties.Environment.Variables.VIGIL_LOG_LEVEL).toBe('INFO');
    expect(Object.keys(t.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'DashboardUrl', 'CloudWatchLogsDestinationArn']),
    );
  });

  it('deploys other stages disposable, and never puts a secret value in the template', () => {
    const t = run('dev');
    for (const table of Object.values(t.findResources('AWS::DynamoDB::Table')))
      expect(table.DeletionPolicy).toBe('Delete');
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toMatch(/hooks\.slack\.com|routing_key/i);
    // Secrets are SST secrets: any function that declares one gets the SSM parameter's name.
    for (const f of Object.values(t.findResources('AWS::Lambda::Function')))
      for (const [k, v] of Object.entries(f.Properties.Environment?.Variables ?? {}))
        if (k.startsWith('VIGIL_SECRET_')) expect(v).toMatch(/^\/sst\/vigil\/dev\/Secret\/[A-Z_]+\/value$/);
  });
});
