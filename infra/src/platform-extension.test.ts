import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, manifest } from './manifest';
import { type Synthesized, synthesize } from './platform/testing';

const httpEntry = manifest.functions.find((f) => f.kind === 'http')!.entry;
const jobEntry = manifest.functions.find((f) => f.kind === 'job')?.entry ?? httpEntry;

/** The real manifest plus one of each kind of row, none of which platform.ts has heard of. */
const extended: Manifest = {
  ...manifest,
  functions: [
    ...manifest.functions,
    { name: 'fake-group', kind: 'http', entry: httpEntry, tables: { metrics: 'read' }, publishes: [] },
    {
      name: 'fake-job',
      kind: 'job',
      entry: jobEntry,
      tables: { state: 'readwrite' },
      publishes: [],
      singleton: true,
    },
    { name: 'fake-channel', kind: 'channel', entry: httpEntry, tables: { state: 'read' }, publishes: [] },
  ],
  routes: [
    ...manifest.routes,
    {
      method: 'GET',
      path: '/api/v1/fake/{id}',
      function: 'fake-group',
      scope: 'read',
      summary: 'fake',
      rateLimit: 7,
    },
    {
      method: 'GET',
      path: '/api/v1/fake-stream',
      function: 'fake-group',
      scope: 'read',
      summary: 'fake',
      streaming: true,
    },
    { method: 'GET', path: '/fake/open', function: 'fake-group', scope: 'none', summary: 'fake open' },
  ],
  schedules: [
    ...manifest.schedules,
    { name: 'fake', expression: 'cron(7 3 * * ? *)', function: 'fake-job', description: 'fake schedule' },
  ],
  subscriptions: [
    ...manifest.subscriptions,
    {
      name: 'fake',
      topic: 'notifications',
      protocol: 'lambda',
      function: 'fake-channel',
      filterPolicy: { channel: ['fake'], severity: [{ 'anything-but': ['info'] }] },
    },
  ],
};

describe('VigilPlatform from an extended manifest', () => {
  let s: Synthesized;
  const fnId = (name: string) => s.idOf(s.platform.functions.get(name)!.functionArn);
  beforeAll(() => {
    const dist = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Vigil</title>');
    s = synthesize({
      manifest: extended,
      webDist: dist,
      emailSubscriptions: [
        { address: 'all@example.com' },
        { address: 'critical@example.com', filterPolicy: { severity: ['critical'] } },
      ],
    });
  }, 120_000);

  it('adds the new routes with their authorizer, throttling and streaming URL', () => {
    const routes = s.of('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes).toHaveLength(extended.routes.length);
    expect(routes.find((r) => r.RouteKey === 'GET /api/v1/fake/{id}')?.AuthorizationType).toBe('CUSTOM');
    expect(routes.find((r) => r.RouteKey === 'GET /fake/open')?.AuthorizationType).toBe('NONE');
    const [[, stage]] = s.of('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.RouteSettings['GET /api/v1/fake/{id}'].ThrottlingRateLimit).toBe(7);
    expect(s.of('AWS::Lambda::Url').map(([, u]) => u.Properties.TargetFunctionArn)).toContainEqual({
      'Fn::GetAtt': [fnId('fake-group'), 'Arn'],
    });
  });

  it('adds the new job with its schedule and reserved concurrency', () => {
    const schedule = s
      .of('AWS::Scheduler::Schedule')
      .map(([, x]) => x.Properties)
      .find((x) => x.ScheduleExpression === 'cron(7 3 * * ? *)');
    expect(schedule?.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId('fake-job'), 'Arn'] });
    expect(s.template.toJSON().Resources[fnId('fake-job')].Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('subscribes the new channel with its filter policy verbatim', () => {
    const sub = s
      .of('AWS::SNS::Subscription')
      .map(([, x]) => x.Properties)
      .find(
        (x) => JSON.stringify(x.Endpoint) === JSON.stringify({ 'Fn::GetAtt': [fnId('fake-channel'), 'Arn'] }),
      );
    expect(sub?.FilterPolicy).toEqual({ channel: ['fake'], severity: [{ 'anything-but': ['info'] }] });
  });

  it('narrows an email address by its own filter on top of the row', () => {
    const emails = s
      .of('AWS::SNS::Subscription')
      .map(([, x]) => x.Properties)
      .filter((x) => x.Protocol === 'email');
    const row = manifest.subscriptions.find((r) => r.protocol === 'email');
    expect(emails).toHaveLength(row ? 2 : 0);
    if (!row) return;
    expect(emails.find((e) => e.Endpoint === 'all@example.com')?.FilterPolicy).toEqual(row.filterPolicy);
    expect(emails.find((e) => e.Endpoint === 'critical@example.com')?.FilterPolicy).toEqual({
      ...row.filterPolicy,
      severity: ['critical'],
    });
  });

  it('uploads a dashboard build with a config.json naming the API URL', () => {
    const [[, deployment]] = s.of('Custom::CDKBucketDeployment');
    const apiId = s.idOf(s.platform.api.httpApi.apiId);
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain(apiId);
    expect(deployment.Properties.DistributionId).toBeDefined();
  });

  it('still has no unsuppressed cdk-nag finding', () => {
    const a = Annotations.fromStack(s.stack);
    const findings = [...a.findError('*', Match.anyValue()), ...a.findWarning('*', Match.anyValue())];
    expect(findings.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});
