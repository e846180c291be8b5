import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifest } from '../../infra/src/manifest';
import { type Synthesized, synthesize } from '../../infra/src/platform/testing';

/** CloudWatch Logs subscription filters deliver log groups to Vigil's `log-subscriber` functions. */
describe('the CloudWatch Logs subscription destination', () => {
  let s: Synthesized;
  const row = manifest.functions.find((f) => f.name === 'ingest-cloudwatch-logs')!;
  const fnId = () => s.idOf(s.platform.functions.get(row.name)!.functionArn);
  beforeAll(() => {
    s = synthesize({ webDist: '/nonexistent/dist' });
  }, 120_000);

  it('is a log-subscriber function in the manifest with the tables it writes', () => {
    expect(row).toMatchObject({
      kind: 'log-subscriber',
      entry: 'packages/functions/src/logs/cloudwatch.ts',
      tables: { logs: 'readwrite', metrics: 'readwrite' },
    });
    // No route or schedule reaches it: CloudWatch Logs invokes it directly.
    expect(manifest.routes.filter((r) => r.function === row.name)).toEqual([]);
    expect(manifest.schedules.filter((r) => r.function === row.name)).toEqual([]);
  });

  it('may be invoked by CloudWatch Logs of this account and region only', () => {
    const perms = s
      .of('AWS::Lambda::Permission')
      .map(([, p]) => p.Properties)
      .filter((p) => p.Principal === 'logs.amazonaws.com');
    expect(perms).toHaveLength(1);
    const [p] = perms;
    expect(p.Action).toBe('lambda:InvokeFunction');
    expect(p.FunctionName).toEqual({ 'Fn::GetAtt': [fnId(), 'Arn'] });
    expect(p.SourceAccount).toBe('123456789012');
    expect(JSON.stringify(p.SourceArn)).toMatch(/:logs:us-east-1:123456789012:log-group:\*/);
  });

  it('is invoked asynchronously: failed deliveries land in its dead-letter queue', () => {
    const [[, fn]] = s.of('AWS::Lambda::Function').filter(([id]) => id === fnId());
    expect(fn.Properties.DeadLetterConfig?.TargetArn).toBeDefined();
    expect(fn.Properties.Timeout).toBe(60);
  });

  it('outputs its ARN for `aws logs put-subscription-filter --destination-arn`', () => {
    const outputs = Object.values(s.template.toJSON().Outputs as Record<string, { Value: unknown }>);
    expect(outputs.map((o) => o.Value)).toContainEqual({ 'Fn::GetAtt': [fnId(), 'Arn'] });
    expect(s.platform.logSubscriptionOutputs.has(row.name)).toBe(true);
  });

  it('keeps cdk-nag clean', () => {
    const a = Annotations.fromStack(s.stack);
    const findings = [...a.findError('*', Match.anyValue()), ...a.findWarning('*', Match.anyValue())];
    expect(findings.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});
