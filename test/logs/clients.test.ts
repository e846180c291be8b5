import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as cloudwatch } from '../../packages/functions/src/logs/cloudwatch';
import { startTestRuntime } from '../support/runtime';

describe('log clients as users run them', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  it('receives OTLP/HTTP JSON log records and finds them by trace id', async () => {
    const t = rt.clock.now();
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    const res = await rt.api('POST', '/v1/logs', {
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'checkout' } },
              { key: 'deployment.environment', value: { stringValue: 'test' } },
            ],
          },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: ns(t - 1000),
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { stringValue: 'card declined by issuer' },
                  attributes: [{ key: 'order.id', value: { stringValue: 'o-77' } }],
                  traceId: '5b8aa5a2d2c872e8321cf37308d69df2',
                  spanId: '051581bf3cb55c13',
                },
                {
                  timeUnixNano: ns(t - 500),
                  severityNumber: 13,
                  body: { kvlistValue: { values: [{ key: 'event', value: { stringValue: 'retry' } }] } },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 0 });
    const found = await rt.api(
      'GET',
      `/api/v1/logs/search?trace_id=5b8aa5a2d2c872e8321cf37308d69df2&start=${new Date(t - 3_600_000).toISOString()}`,
    );
    expect(found.body.records).toHaveLength(1);
    expect(found.body.records[0]).toMatchObject({
      level: 'error',
      service: 'checkout',
      message: 'card declined by issuer',
      source: 'otlp',
      span_id: '051581bf3cb55c13',
    });
    expect(found.body.records[0].attributes).toMatchObject({
      'order.id': 'o-77',
      'resource.deployment.environment': 'test',
    });
  });

  it('accepts a Loki push and answers Loki queries with line filters and | json', async () => {
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    const t = rt.clock.now();
    const push = await rt.api('POST', '/loki/api/v1/push', {
      streams: [
        {
          stream: { service: 'payments', level: 'error' },
          values: [
            [ns(t - 2000), '{"msg":"gateway timeout","status":504}'],
            [ns(t - 1000), '{"msg":"gateway ok","status":200}'],
          ],
        },
        { stream: { service: 'payments', level: 'info' }, values: [[ns(t - 1500), 'health check passed']] },
      ],
    });
    expect(push.status).toBe(204);
    const q = (query: string) =>
      rt.api(
        'GET',
        `/loki/api/v1/query_range?${new URLSearchParams({ query, start: ns(t - 60_000), end: ns(t + 1000), limit: '100' })}`,
      );
    const errors = await q('{service="payments", level="error"} |= "gateway"');
    expect(
      errors.body.data.result.flatMap((s: { values: string[][] }) => s.values.map((v) => v[1])),
    ).toHaveLength(2);
    const json = await q('{service="payments"} | json | status="504"');
    expect(json.body.data.result.flatMap((s: { values: string[][] }) => s.values.map((v) => v[1]))).toEqual([
      '{"msg":"gateway timeout","status":504}',
    ]);
    const values = await rt.api('GET', '/loki/api/v1/label/level/values');
    expect(values.body.data).toEqual(expect.arrayContaining(['error', 'info']));
    expect((await q('service="payments"')).status).toBe(400);
  });

  it('ingests a CloudWatch Logs subscription event and ignores control messages', async () => {
    const event = (payload: object) => ({
      awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') },
    });
    const t = rt.clock.now();
    const result = await cloudwatch(
      event({
        messageType: 'DATA_MESSAGE',
        logGroup: '/aws/lambda/orders',
        logStream: 's',
        logEvents: [
          {
            id: '1',
            timestamp: t - 100,
            message: '{"level":"ERROR","message":"order failed","request_id":"r-9"}',
          },
          { id: '2', timestamp: t - 50, message: 'START RequestId: abc' },
        ],
      }) as never,
    );
    expect(result).toEqual({ accepted: 2, rejected: 0 });
    expect(
      await cloudwatch(
        event({
          messageType: 'CONTROL_MESSAGE',
          logGroup: '',
          logStream: '',
          logEvents: [
            { id: '1', timestamp: t, message: 'CWL CONTROL MESSAGE: Checking health of destination' },
          ],
        }) as never,
      ),
    ).toEqual({ accepted: 0, rejected: 0 });
    const found = await rt.api(
      'GET',
      `/api/v1/logs/search?request_id=r-9&start=${new Date(t - 3_600_000).toISOString()}`,
    );
    expect(found.body.records).toMatchObject([
      { service: 'orders', level: 'error', message: 'order failed', source: 'cloudwatch' },
    ]);
  });
});
