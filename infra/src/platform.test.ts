import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifest, routeKey, tableEnv, topicEnv } from './manifest';
import { type Synthesized, synthesize } from './platform/testing';

/** What every scheduled job receives (EventBridge's scheduled-event shape). */
const SCHEDULED_EVENT = {
  version: '0',
  id: '<aws.scheduler.execution-id>',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  time: '<aws.scheduler.scheduled-time>',
  resources: ['<aws.scheduler.schedule-arn>'],
  detail: {},
};

describe('VigilPlatform', () => {
  let s: Synthesized;
  const fnId = (name: string) => s.idOf(s.platform.functions.get(name)!.functionArn);
  beforeAll(() => {
    // No dashboard build: the deployment is skipped (the extension tests cover the upload).
    s = synthesize({ emailSubscriptions: [{ address: 'oncall@example.com' }], webDist: '/nonexistent/dist' });
  }, 120_000);

  it('creates every manifest route, keyed routes behind the authorizer, integrated with its function', () => {
    const routes = s.of('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const integrations = Object.fromEntries(s.of('AWS::ApiGatewayV2::Integration'));
    const [[authorizerId, authorizer]] = s.of('AWS::ApiGatewayV2::Authorizer');
    expect(routes).toHaveLength(manifest.routes.length);
    for (const row of manifest.routes) {
      const route = routes.find((r) => r.RouteKey === routeKey(row));
      expect(route, routeKey(row)).toBeDefined();
      if (row.scope === 'none') expect(route!.AuthorizationType, routeKey(row)).toBe('NONE');
      else expect(route!.AuthorizerId, routeKey(row)).toEqual({ Ref: authorizerId });
      const integrationId = route!.Target['Fn::Join'][1][1].Ref;
      expect(integrations[integrationId].Properties.IntegrationUri, routeKey(row)).toEqual({
        'Fn::GetAtt': [fnId(row.function), 'Arn'],
      });
    }
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(fnId('authorizer'));
  });

  it('lets API Gateway invoke each integrated function through one permission scoped to this API', () => {
    const apiId = s.idOf(s.platform.api.httpApi.apiId);
    const perms = s
      .of('AWS::Lambda::Permission')
      .map(([, p]) => p.Properties)
      .filter((p) => p.Principal === 'apigateway.amazonaws.com');
    const integrated = new Set([...manifest.routes.map((r) => r.function), 'authorizer']);
    expect(perms.map((p) => p.FunctionName['Fn::GetAtt'][0]).sort()).toEqual(
      [...integrated].map(fnId).sort(),
    );
    for (const p of perms) expect(JSON.stringify(p.SourceArn)).toContain(apiId);
  });

  it('stays well inside the 500-resource limit of a CloudFormation stack', () => {
    expect(Object.keys(s.template.toJSON().Resources).length).toBeLessThan(450);
  });

  it('throttles the stage and the rate-limited routes, logs access as JSON and allows the dashboard origin', () => {
    const [[, stage]] = s.of('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    for (const row of manifest.routes.filter((r) => r.rateLimit))
      expect(stage.Properties.RouteSettings[routeKey(row)].ThrottlingRateLimit).toBe(row.rateLimit);
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toHaveProperty('status');
    const [[, api]] = s.of('AWS::ApiGatewayV2::Api');
    expect(JSON.stringify(api.Properties.CorsConfiguration.AllowOrigins)).toContain(
      s.idOf(s.platform.site.distribution.distributionDomainName),
    );
  });

  it('gives every streaming route a response-streaming function URL and nothing else one', () => {
    const urls = s.of('AWS::Lambda::Url').map(([, u]) => u.Properties);
    const streaming = [...new Set(manifest.routes.filter((r) => r.streaming).map((r) => r.function))];
    expect(urls).toHaveLength(streaming.length);
    for (const name of streaming)
      expect(urls).toContainEqual({
        AuthType: 'AWS_IAM',
        InvokeMode: 'RESPONSE_STREAM',
        TargetFunctionArn: { 'Fn::GetAtt': [fnId(name), 'Arn'] },
      });
  });

  it('runs every function on nodejs22.x arm64 with tracing, its own 30-day log group and its manifest environment', () => {
    const logGroups = Object.fromEntries(s.of('AWS::Logs::LogGroup'));
    for (const row of manifest.functions) {
      const fn = s.template.toJSON().Resources[fnId(row.name)];
      const p = fn.Properties;
      expect(p.Runtime, row.name).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.Handler).toBe('index.handler');
      expect(logGroups[p.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(30);
      expect(p.ReservedConcurrentExecutions, row.name).toBe(row.singleton ? 1 : undefined);
      const env = p.Environment.Variables;
      const expected = [
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'VIGIL_LOG_LEVEL',
        'NODE_OPTIONS',
        'VIGIL_DASHBOARD_URL',
        'VIGIL_EXTERNAL_URL',
        // This synthesis subscribes an address (see above).
        'VIGIL_ALERT_EMAILS',
        ...Object.keys(row.tables).map(tableEnv),
        ...row.publishes.map(topicEnv),
        ...(row.secrets ?? []).map((x) => `VIGIL_SECRET_${x.toUpperCase().replace(/\W/g, '_')}_PARAMETER`),
      ];
      expect(Object.keys(env).sort(), row.name).toEqual(expected.sort());
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('Vigil');
      for (const table of Object.keys(row.tables))
        expect(env[tableEnv(table)]).toEqual({ Ref: s.idOf(s.platform.tables.get(table)!.tableName) });
      for (const topic of row.publishes)
        expect(env[topicEnv(topic)]).toEqual({ Ref: s.idOf(s.platform.topics.get(topic)!.topicArn) });
      const isAsync = row.kind === 'job' || row.kind === 'channel' || row.kind === 'log-subscriber';
      expect(Boolean(p.DeadLetterConfig), `${row.name} dead-letter queue`).toBe(isAsync);
    }
    expect(
      s.of('AWS::Lambda::Function').filter(([, f]) => String(f.Properties.Runtime).startsWith('nodejs')),
    ).toHaveLength(manifest.functions.length);
  });

  it('drops job runs older than five minutes into the dead-letter queue instead of running them late', () => {
    const configs = s.of('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    for (const row of manifest.functions.filter((f) => f.kind === 'job'))
      expect(
        configs.find((c) => c.FunctionName.Ref === fnId(row.name))?.MaximumEventAgeInSeconds,
        row.name,
      ).toBe(300);
  });

  it('schedules every job in UTC with the flexible window off, retries and a dead-letter queue', () => {
    const schedules = s.of('AWS::Scheduler::Schedule').map(([, x]) => x.Properties);
    const queues = Object.fromEntries(s.of('AWS::SQS::Queue'));
    expect(schedules).toHaveLength(manifest.schedules.length);
    for (const row of manifest.schedules) {
      const x = schedules.find((y) => y.Description === row.description)!;
      expect(x, row.name).toBeDefined();
      expect(x.ScheduleExpression).toBe(row.expression);
      expect(x.ScheduleExpressionTimezone).toBe('UTC');
      expect(x.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(x.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId(row.function), 'Arn'] });
      expect(x.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(queues[x.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0]], row.name).toBeDefined();
      expect(JSON.parse(x.Target.Input)).toEqual(SCHEDULED_EVENT);
    }
  });

  it('gives every table on-demand billing, TTL, point-in-time recovery, encryption and its indexes', () => {
    const tables = s.of('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(manifest.tables.length);
    for (const row of manifest.tables) {
      const t = s.template.toJSON().Resources[s.idOf(s.platform.tables.get(row.name)!.tableName)];
      expect(t.Properties.TimeToLiveSpecification).toEqual({
        AttributeName: row.ttlAttribute,
        Enabled: true,
      });
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual(
        row.indexes.map((i) => i.name),
      );
      expect(t.DeletionPolicy).toBe('Delete');
    }
  });

  it('retains and deletion-protects the tables in prod', () => {
    const prod = synthesize({ stage: 'prod' });
    for (const [, t] of prod.of('AWS::DynamoDB::Table')) {
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('subscribes every row with exactly its manifest filter policy; every subscription dead-letters', () => {
    const subs = s.of('AWS::SNS::Subscription').map(([, x]) => x.Properties);
    for (const row of manifest.subscriptions) {
      const topicArn = { Ref: s.idOf(s.platform.topics.get(row.topic)!.topicArn) };
      const matching = subs.filter(
        (x) =>
          x.Protocol === row.protocol &&
          JSON.stringify(x.TopicArn) === JSON.stringify(topicArn) &&
          (row.protocol === 'lambda'
            ? JSON.stringify(x.Endpoint) === JSON.stringify({ 'Fn::GetAtt': [fnId(row.function!), 'Arn'] })
            : x.Endpoint === 'oncall@example.com'),
      );
      expect(matching, row.name).toHaveLength(1);
      expect(matching[0].FilterPolicy, row.name).toEqual(row.filterPolicy);
      expect(matching[0].FilterPolicyScope).toBe('MessageAttributes');
      expect(matching[0].RedrivePolicy?.deadLetterTargetArn, row.name).toBeDefined();
    }
  });

  it('encrypts the topics and queues with one rotated customer-managed key', () => {
    const [[keyId, key], ...others] = s.of('AWS::KMS::Key');
    expect(others).toHaveLength(0);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    for (const [, t] of s.of('AWS::SNS::Topic'))
      expect(t.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    for (const [, q] of s.of('AWS::SQS::Queue'))
      expect(q.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(s.of('AWS::SNS::Topic')).toHaveLength(manifest.topics.length);
  });

  it('alarms on every dead-letter queue, every function error and throttle, and API 5xx, into operations', () => {
    const alarms = s.of('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const operations = { Ref: s.idOf(s.platform.topics.get('operations')!.topicArn) };
    for (const a of alarms) expect(a.AlarmActions).toEqual([operations]);
    const queueIds = s.of('AWS::SQS::Queue').map(([id]) => id);
    const dlqAlarms = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms.map((a) => a.Dimensions[0].Value['Fn::GetAtt'][0]).sort()).toEqual(queueIds.sort());
    for (const metric of ['Errors', 'Throttles'])
      expect(
        alarms
          .filter((a) => a.MetricName === metric)
          .map((a) => a.Dimensions[0].Value.Ref)
          .sort(),
      ).toEqual(manifest.functions.map((f) => fnId(f.name)).sort());
    expect(alarms.filter((a) => a.MetricName === '5xx')).toHaveLength(1);
  });

  it('serves the dashboard from a private bucket through CloudFront with origin access control', () => {
    const [[, bucket]] = s.of('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(s.of('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    // No dashboard build given: nothing to upload.
    expect(s.of('Custom::CDKBucketDeployment')).toHaveLength(0);
  });

  it('has no unsuppressed cdk-nag AwsSolutions or Serverless finding', () => {
    const a = Annotations.fromStack(s.stack);
    const findings = [...a.findError('*', Match.anyValue()), ...a.findWarning('*', Match.anyValue())];
    expect(findings.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});
