import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionEvent } from '../support/cloudwatch';
import { startTestRuntime } from '../support/runtime';

describe('CloudWatch Logs subscription into the local runtime', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  it('stores the log events of a data message under the log group as service', async () => {
    const t = rt.clock.now();
    const result = await rt.invoke(
      'ingest-cloudwatch-logs',
      subscriptionEvent({
        messageType: 'DATA_MESSAGE',
        logGroup: '/aws/lambda/payments-api',
        logStream: '2026/11/29/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        logEvents: [
          {
            id: '38150165429871234567890123456789012345678901234567890',
            timestamp: t - 3000,
            message: `START RequestId: 7d1c1a0e-3f6b-4d55-9a3e-1c2b3d4e5f60 Version: $LATEST\n`,
          },
          {
            id: '38150165429871234567890123456789012345678901234567891',
            timestamp: t - 2000,
            message: `${JSON.stringify({
              level: 'ERROR',
              message: 'charge failed',
              timestamp: new Date(t - 2000).toISOString(),
              service: 'payments',
              cold_start: true,
              function_request_id: '7d1c1a0e-3f6b-4d55-9a3e-1c2b3d4e5f60',
              xray_trace_id: '1-6749e1c0-3f1e2d3c4b5a697887960a1b',
              error: { name: 'CardDeclined', message: 'insufficient funds' },
            })}\n`,
          },
          {
            id: '38150165429871234567890123456789012345678901234567892',
            timestamp: t - 1000,
            message: `END RequestId: 7d1c1a0e-3f6b-4d55-9a3e-1c2b3d4e5f60\n`,
          },
        ],
      }),
    );
    expect(result).toEqual({ accepted: 3, rejected: 0 });
    const since = new Date(t - 3_600_000).toISOString();
    const all = await rt.api('GET', `/api/v1/logs/search?start=${since}&text=RequestId`);
    expect(all.body.records.map((r: { message: string }) => r.message)).toEqual([
      'END RequestId: 7d1c1a0e-3f6b-4d55-9a3e-1c2b3d4e5f60',
      'START RequestId: 7d1c1a0e-3f6b-4d55-9a3e-1c2b3d4e5f60 Version: $LATEST',
    ]);
    expect(all.body.records[0]).toMatchObject({ service: 'payments-api', source: 'cloudwatch' });
    const errors = await rt.api('GET', `/api/v1/logs/search?start=${since}&level=error`);
    expect(errors.body.records).toMatchObject([
      { service: 'payments', level: 'error', message: 'charge failed', source: 'cloudwatch' },
    ]);
    const streams = await rt.api('GET', '/api/v1/logs/streams');
    expect(JSON.stringify(streams.body)).toContain('payments-api');
  });

  it('ignores the control message CloudWatch Logs sends when a filter is created', async () => {
    const before = await rt.api('GET', '/api/v1/logs/streams');
    const result = await rt.invoke(
      'ingest-cloudwatch-logs',
      subscriptionEvent({
        messageType: 'CONTROL_MESSAGE',
        logGroup: '',
        logStream: '',
        logEvents: [
          {
            id: '',
            timestamp: rt.clock.now(),
            message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.',
          },
        ],
      }),
    );
    expect(result).toEqual({ accepted: 0, rejected: 0 });
    expect((await rt.api('GET', '/api/v1/logs/streams')).body).toEqual(before.body);
  });

  it('stores a delivery that comes again (a Lambda or CloudWatch Logs retry) only once', async () => {
    const t = rt.clock.now();
    const delivery = subscriptionEvent({
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/lambda/refunds',
      logStream: '2026/11/29/[$LATEST]feedface',
      logEvents: [
        {
          id: '381501654298712345678901234567890123456789012345678a0',
          timestamp: t - 20,
          message: 'refund 1 sent\n',
        },
        {
          id: '381501654298712345678901234567890123456789012345678a1',
          timestamp: t - 10,
          message: 'refund 2 sent\n',
        },
      ],
    });
    expect(await rt.invoke('ingest-cloudwatch-logs', delivery)).toEqual({ accepted: 2, rejected: 0 });
    expect(await rt.invoke('ingest-cloudwatch-logs', delivery)).toEqual({
      accepted: 2,
      rejected: 0,
      duplicate: true,
    });
    const q = `/api/v1/logs/search?service=refunds&start=${new Date(t - 3_600_000).toISOString()}`;
    expect((await rt.api('GET', q)).body.records.map((r: { message: string }) => r.message)).toEqual([
      'refund 2 sent',
      'refund 1 sent',
    ]);
    // Other events of the same stream are a new delivery.
    const next = subscriptionEvent({
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/lambda/refunds',
      logStream: '2026/11/29/[$LATEST]feedface',
      logEvents: [
        {
          id: '381501654298712345678901234567890123456789012345678a2',
          timestamp: t - 5,
          message: 'refund 3 sent',
        },
      ],
    });
    expect(await rt.invoke('ingest-cloudwatch-logs', next)).toEqual({ accepted: 1, rejected: 0 });
    expect((await rt.api('GET', q)).body.records).toHaveLength(3);
  });

  it('keeps events whose parsed form is refused as the text they were sent as, long lines in pieces', async () => {
    const t = rt.clock.now();
    const long = `Traceback (most recent call last): ${'frame \u00e9\ud83d\ude00 '.repeat(15_000)}end of trace`;
    const wide = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`field_${i}`, i]));
    const result = await rt.invoke(
      'ingest-cloudwatch-logs',
      subscriptionEvent({
        messageType: 'DATA_MESSAGE',
        logGroup: '/aws/lambda/reports',
        logStream: 's',
        logEvents: [
          { id: 'r1', timestamp: t - 30, message: `${long}\n` },
          {
            id: 'r2',
            timestamp: t - 20,
            message: JSON.stringify({
              timestamp: '2026-11-29 20:00:00,123',
              level: 'ERROR',
              message: 'py job failed',
            }),
          },
          {
            id: 'r3',
            timestamp: t - 10,
            message: JSON.stringify({ service: 'reports api', message: 'bad service' }),
          },
          { id: 'r4', timestamp: t - 5, message: JSON.stringify({ message: 'too wide', ...wide }) },
        ],
      }),
    );
    const parts = Math.ceil(long.length / 20_000);
    expect(result).toEqual({ accepted: parts + 3, rejected: 0 });
    const q = `/api/v1/logs/search?service=reports&limit=100&start=${new Date(t - 60_000).toISOString()}`;
    const records = (await rt.api('GET', q)).body.records as Array<{
      message: string;
      level: string;
      timestamp: string;
      attributes: Record<string, unknown>;
    }>;
    expect(records).toHaveLength(parts + 3);
    const pieces = records
      .filter((r) => r.attributes.eventId === 'r1')
      .sort((a, b) => Number(a.attributes.part) - Number(b.attributes.part));
    expect(pieces.map((r) => r.message).join('')).toBe(long);
    expect(pieces.every((r) => r.attributes.parts === parts && r.attributes.ingestError)).toBe(true);
    const py = records.find((r) => r.attributes.eventId === 'r2')!;
    expect(py).toMatchObject({ level: 'error', timestamp: new Date(t - 20).toISOString() });
    expect(JSON.parse(py.message)).toMatchObject({ message: 'py job failed' });
    expect(String(py.attributes.ingestError)).toContain('timestamp');
    expect(records.find((r) => r.attributes.eventId === 'r3')!.message).toContain('bad service');
    expect(String(records.find((r) => r.attributes.eventId === 'r4')!.attributes.ingestError)).toContain(
      'attributes',
    );
  });

  it('takes subscription events over HTTP locally, with an ingest key', async () => {
    const t = rt.clock.now();
    const delivery = subscriptionEvent({
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/lambda/local-http',
      logStream: 's',
      logEvents: [{ id: 'h1', timestamp: t - 1, message: 'sent over http' }],
    });
    const ingest = await rt.api('POST', '/api/v1/keys', { name: 'shipper', scopes: ['ingest'] });
    const reader = await rt.api('POST', '/api/v1/keys', { name: 'looker', scopes: ['read'] });
    const post = (body: unknown, key?: string | null) =>
      rt.api('POST', '/api/v1/admin/cloudwatch-logs', body, key === undefined ? {} : { key });
    expect((await post(delivery, null)).status).toBe(401);
    expect((await post(delivery, reader.body.key)).status).toBe(403);
    const ok = await post(delivery, ingest.body.key);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ accepted: 1, rejected: 0 });
    const found = await rt.api(
      'GET',
      `/api/v1/logs/search?service=local-http&start=${new Date(t - 60_000).toISOString()}`,
    );
    expect(found.body.records).toMatchObject([{ message: 'sent over http' }]);

    for (const [body, field] of [
      [{}, 'awslogs.data'],
      [{ awslogs: { data: 'bm90IGd6aXA=' } }, 'awslogs.data'],
    ] as const) {
      const bad = await post(body);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect(bad.body.errors[0].field).toBe(field);
    }
    const notJson = await rt.api('POST', '/api/v1/admin/cloudwatch-logs', undefined, { raw: '{"awslogs":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0].field).toBe('body');
  });

  it("ignores its own log group's events, which would otherwise feed themselves", async () => {
    const own = '/aws/lambda/vigil-dev-ingest-cloudwatch-logs';
    const before = process.env.AWS_LAMBDA_LOG_GROUP_NAME;
    process.env.AWS_LAMBDA_LOG_GROUP_NAME = own;
    try {
      const delivery = (logGroup: string) =>
        subscriptionEvent({
          messageType: 'DATA_MESSAGE',
          logGroup,
          logStream: 's',
          logEvents: [{ id: `own-${logGroup}`, timestamp: rt.clock.now(), message: 'REPORT RequestId: x' }],
        });
      expect(await rt.invoke('ingest-cloudwatch-logs', delivery(own))).toEqual({ accepted: 0, rejected: 0 });
      expect(await rt.invoke('ingest-cloudwatch-logs', delivery('/aws/lambda/other'))).toEqual({
        accepted: 1,
        rejected: 0,
      });
    } finally {
      if (before === undefined) delete process.env.AWS_LAMBDA_LOG_GROUP_NAME;
      else process.env.AWS_LAMBDA_LOG_GROUP_NAME = before;
    }
  });

  it('refuses an event that is not a subscription event, storing nothing', async () => {
    await expect(
      rt.invoke('ingest-cloudwatch-logs', { awslogs: { data: 'bm90IGd6aXA=' } }),
    ).rejects.toThrow();
  });
});
