import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { type Manifest, manifest, routeKey } from './manifest';
import { VigilPlatform } from './platform';
import { TABLE_ACTIONS } from './platform/iam';
import { applySuppressions } from './platform/nag';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** Resources of a type, as [logicalId, resource] pairs. */
const of = (t: Template, type: string) =>
  Object.entries(t.findResources(type)) as Array<[string, { Properties: Record<string, any> }]>;

describe('VigilPlatform synthesized from the manifest', () => {
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    const built = buildApp({ outdir: '/tmp/vigil-cdk-test', context: NO_BUNDLING, nag: true });
    stack = built.stack;
    built.app.synth();
    template = Template.fromStack(stack);
  }, 120_000);

  it('creates every route with the authorizer (except open routes) and a Lambda integration', () => {
    const routes = of(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    for (const row of manifest.routes) {
      const route = routes.find((r) => r.RouteKey === routeKey(row));
      expect(route, routeKey(row)).toBeDefined();
      expect(route!.AuthorizationType, routeKey(row)).toBe(row.scope === 'none' ? 'NONE' : 'CUSTOM');
      expect(route!.Target).toBeDefined();
    }
    expect(routes).toHaveLength(manifest.routes.length);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
    });
  });

  it('runs every function on nodejs22.x arm64 with tracing and only its manifest environment', () => {
    const fns = of(template, 'AWS::Lambda::Function').filter(
      ([, f]) => f.Properties.Runtime === 'nodejs22.x',
    );
    expect(fns.length).toBe(manifest.functions.length);
    for (const [, f] of fns) {
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('schedules every job with the flexible window off, retries and a dead-letter queue', () => {
    const schedules = of(template, 'AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    expect(schedules).toHaveLength(manifest.schedules.length);
    for (const row of manifest.schedules) {
      const s = schedules.find(
        (x) => x.ScheduleExpression === row.expression && x.Description === row.description,
      );
      expect(s, row.name).toBeDefined();
      expect(s!.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(s!.Target.DeadLetterConfig.Arn).toBeDefined();
      expect(s!.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
  });

  it('gives every table TTL, point-in-time recovery and encryption', () => {
    const tables = of(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(manifest.tables.length);
    for (const [, t] of tables) {
      expect(t.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    }
  });

  it('subscribes each channel with exactly its manifest filter policy and a dead-letter queue', () => {
    const subs = of(template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    for (const row of manifest.subscriptions) {
      const matching = subs.filter(
        (s) =>
          s.Protocol === row.protocol && JSON.stringify(s.FilterPolicy) === JSON.stringify(row.filterPolicy),
      );
      expect(matching.length, row.name).toBeGreaterThan(0);
      if (row.protocol === 'lambda')
        expect(matching[0].RedrivePolicy?.deadLetterTargetArn, row.name).toBeDefined();
    }
  });

  it('grants each function exactly the table actions and topics its manifest row declares', () => {
    const policies = of(template, 'AWS::IAM::Policy');
    const fns = of(template, 'AWS::Lambda::Function');
    for (const row of manifest.functions) {
      const [, fn] = fns.find(([id]) => id.includes(`Fn${row.name.replace(/-/g, '')}`))!;
      const roleRef = fn.Properties.Role['Fn::GetAtt'][0];
      const statements = policies
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleRef))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const dynamo = new Set(
        statements
          .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
          .filter((a: string) => a.startsWith('dynamodb:')),
      );
      const expected = new Set(Object.values(row.tables).flatMap((access) => TABLE_ACTIONS[access]));
      expect([...dynamo].sort(), row.name).toEqual([...expected].sort());
      const publishes = statements.filter((s: { Action: string | string[] }) =>
        [s.Action].flat().includes('sns:Publish'),
      );
      expect(publishes.length, `${row.name} sns:Publish`).toBe(row.publishes.length);
      const extra = statements
        .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
        .filter(
          (a: string) =>
            !a.startsWith('dynamodb:') &&
            !a.startsWith('xray:') &&
            a !== 'sns:Publish' &&
            !a.startsWith('kms:') &&
            a !== 'ssm:GetParameter',
        );
      expect(extra, `${row.name} has only declared permissions`).toEqual([]);
      for (const s of statements.filter((x: { Action: string | string[] }) =>
        [x.Action].flat().some((a: string) => a.startsWith('dynamodb:')),
      )) {
        expect(JSON.stringify(s.Resource)).not.toBe('"*"');
      }
    }
  });

  it('raises alarms on dead letters, function errors and API 5xx into the operations topic', () => {
    const alarms = of(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(
      alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible').length,
    ).toBeGreaterThanOrEqual(manifest.schedules.length);
    expect(alarms.filter((a) => a.MetricName === 'Errors')).toHaveLength(manifest.functions.length);
    expect(alarms.some((a) => a.MetricName === '5xx')).toBe(true);
  });

  it('has no unsuppressed cdk-nag AwsSolutions findings', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect([...errors, ...warnings].map((e) => `${e.id}: ${String(e.entry.data).slice(0, 80)}`)).toEqual([]);
  });

  it('adds the resources of a new manifest row without touching platform.ts', () => {
    const extended: Manifest = {
      ...manifest,
      routes: [
        ...manifest.routes,
        { method: 'GET', path: '/api/v1/fake', function: 'health', scope: 'read', summary: 'fake' },
      ],
      functions: [
        ...manifest.functions,
        {
          name: 'fake-job',
          kind: 'job',
          entry: 'packages/functions/src/jobs/compact-metrics.ts',
          tables: { state: 'read' },
          publishes: [],
        },
      ],
      schedules: [
        ...manifest.schedules,
        { name: 'fake', expression: 'rate(7 minutes)', function: 'fake-job', description: 'fake schedule' },
      ],
    };
    const app = new App({ context: NO_BUNDLING });
    const s = new Stack(app, 'fake', { env: { account: '123456789012', region: 'us-east-1' } });
    new VigilPlatform(s, 'Vigil', { stage: 'dev', manifest: extended });
    applySuppressions(s);
    Aspects.of(app).add(new AwsSolutionsChecks());
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /api/v1/fake',
      AuthorizationType: 'CUSTOM',
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(7 minutes)' });
    expect(
      of(t, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.Runtime === 'nodejs22.x'),
    ).toHaveLength(manifest.functions.length + 1);
  });
});
