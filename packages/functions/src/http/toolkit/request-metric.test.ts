import { FixedClock } from '@vigil/core';
import { MemoryTableStore } from '@vigil/dynamo';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from './types';

// Metrics are printed here (as on Lambda), to the console the test reads.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_DEV = 'true';
const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
const { createHttpHandler } = await import('./handler');
const { route } = await import('./route');
const { configurePlatform, resetPlatform } = await import('../../platform/context');

const handler = createHttpHandler({
  'GET /api/v1/keys': route({ handle: () => ({ body: { ok: true } }) }),
});
const event = (scopes?: string) =>
  ({
    version: '2.0',
    routeKey: 'GET /api/v1/keys',
    rawPath: '/api/v1/keys',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'GET', path: '/api/v1/keys' },
      requestId: 'gw-1',
      authorizer: { lambda: scopes ? { keyId: 'k1', keyName: 'tester', scopes } : {} },
    },
  }) as unknown as HttpEvent;

describe('request metrics', () => {
  afterAll(() => resetPlatform());

  it('prints one EMF record per request with its count and latency by route and status class', async () => {
    configurePlatform({
      clock: new FixedClock(1_700_000_000_000),
      tables: {
        state: new MemoryTableStore('state'),
        metrics: new MemoryTableStore('metrics'),
        logs: new MemoryTableStore('logs'),
      },
    });
    await handler(event('admin'));
    await handler(event());
    const records = printed.mock.calls
      .map(([line]) => JSON.parse(String(line)))
      .filter((r) => r._aws?.CloudWatchMetrics);
    expect(records).toHaveLength(2);
    expect(records.map((r) => [r.route, r.statusClass, r.Requests, typeof r.Latency])).toEqual([
      ['GET /api/v1/keys', '2xx', 1, 'number'],
      ['GET /api/v1/keys', '4xx', 1, 'number'],
    ]);
    for (const r of records) {
      const [directive] = r._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe('Vigil');
      expect(directive.Dimensions[0]).toEqual(expect.arrayContaining(['route', 'statusClass']));
      expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(['Latency', 'Requests']);
    }
  });
});
