import snappy from 'snappyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRequest } from '../../packages/functions/src/http/metrics/remote-write';
import { startTestRuntime } from '../support/runtime';

const T = Date.parse('2026-11-20T12:00:00Z');

async function instant(rt: Awaited<ReturnType<typeof startTestRuntime>>, query: string, at = T) {
  const res = await rt.api('GET', `/api/v1/query?query=${encodeURIComponent(query)}&time=${at / 1000}`);
  expect(res.body.status, JSON.stringify(res.body)).toBe('success');
  return res.body.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
}

describe('metrics ingest and storage', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T);
  });
  afterAll(() => rt.cleanup());

  it('accepts valid series and names every rejected field', async () => {
    const res = await rt.api('POST', '/api/v1/metrics', {
      series: [
        { name: 'ok_metric', labels: { a: 'b' }, samples: [[T, 1]] },
        { name: '1bad', labels: {}, samples: [[T, 1]] },
        { name: 'ok_metric', labels: { 'bad-label': 'x' }, samples: [[T, 1]] },
        {
          name: 'ok_metric',
          labels: {},
          samples: [
            [T, 'NaN'],
            [T - 1000, '+Inf'],
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 3, rejected: 2 });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'series.1.name',
      'series.2.labels.bad-label',
    ]);
    const all = await rt.api('POST', '/api/v1/metrics', { series: [{ name: '9', samples: [[T, 1]] }] });
    expect(all.status).toBe(400);
    expect(all.headers.get('content-type')).toBe('application/problem+json');
  });

  it('imports text exposition with escapes, HELP/TYPE, timestamps, histograms and real node_exporter output', async () => {
    const text = [
      '# HELP esc_total A counter with "quotes" and \\\\ backslashes',
      '# TYPE esc_total counter',
      'esc_total{path="/a\\"b",nl="x\\ny"} 5',
      `esc_total{path="/c"} 7 ${T - 60_000}`,
      '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{le="0.5"} 3',
      'lat_seconds_bucket{le="+Inf"} 4',
      'lat_seconds_sum 1.5',
      'lat_seconds_count 4',
    ].join('\n');
    const res = await rt.api('POST', '/api/v1/import/prometheus', undefined, {
      raw: text,
      headers: { 'content-type': 'text/plain; version=0.0.4' },
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(6);
    const series = await instant(rt, 'esc_total');
    expect(series.map((s) => s.metric.path).sort()).toEqual(['/a"b', '/c']);
    expect(series.find((s) => s.metric.path === '/a"b')?.metric.nl).toBe('x\ny');
    expect((await instant(rt, 'histogram_quantile(0.5, lat_seconds_bucket)'))[0].value[1]).toBe(
      '0.3333333333333333',
    );

    const bad = await rt.api('POST', '/api/v1/import/prometheus', undefined, {
      raw: 'metric{a="unterminated} 1\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('line 1');
  });

  it('imports what a real prometheus-node-exporter exposes', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const { freePort, waitFor } = await import('../support/net');
    const bin = '/usr/bin/prometheus-node-exporter';
    if (!existsSync(bin))
      throw new Error(`this test needs Debian's ${bin}: apt-get install prometheus-node-exporter`);
    const port = await freePort();
    const child = spawn(bin, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    try {
      let text = '';
      await waitFor(async () => {
        text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return text.length > 1000;
      });
      const res = await rt.api('POST', '/api/v1/import/prometheus', undefined, {
        raw: text,
        headers: { 'content-type': 'text/plain; version=0.0.4' },
      });
      expect(res.status).toBe(200);
      expect(res.body.rejected).toBe(0);
      const lines = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      expect(res.body.accepted).toBe(lines);
      expect((await instant(rt, 'count(node_cpu_seconds_total)'))[0].value[1]).not.toBe('0');
    } finally {
      child.kill();
    }
  });

  it('decodes Prometheus remote-write (snappy protobuf) and answers 204', async () => {
    const type = WriteRequest;
    const message = type
      .encode(
        type.fromObject({
          timeseries: [
            {
              labels: [
                { name: '__name__', value: 'rw_metric' },
                { name: 'job', value: 'x' },
              ],
              samples: [{ value: 42, timestamp: T }],
            },
          ],
        }),
      )
      .finish();
    const res = await rt.api('POST', '/api/v1/write', undefined, {
      raw: snappy.compress(message),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
    expect(res.status).toBe(204);
    expect((await instant(rt, 'rw_metric{job="x"}'))[0].value[1]).toBe('42');
    const garbage = await rt.api('POST', '/api/v1/write', undefined, {
      raw: new Uint8Array([1, 2, 3]),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(garbage.status).toBe(400);
  });

  it('translates OTLP JSON: resource attributes, monotonic sums, histograms, int64 strings, partial success', async () => {
    const ns = String(BigInt(T) * 1_000_000n);
    const res = await rt.api('POST', '/v1/metrics', {
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'checkout' } },
              { key: 'service.instance.id', value: { stringValue: 'i-1' } },
            ],
          },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'orders.placed',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        asInt: '12',
                        timeUnixNano: ns,
                        attributes: [{ key: 'region', value: { stringValue: 'eu' } }],
                      },
                    ],
                  },
                },
                { name: 'queue.depth', gauge: { dataPoints: [{ asDouble: 3.5, timeUnixNano: ns }] } },
                {
                  name: 'latency',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        count: '4',
                        sum: 2,
                        bucketCounts: ['1', '2', '1'],
                        explicitBounds: [0.1, 1],
                        timeUnixNano: ns,
                      },
                    ],
                  },
                },
                {
                  name: 'deltas',
                  sum: {
                    aggregationTemporality: 1,
                    isMonotonic: true,
                    dataPoints: [{ asInt: '1', timeUnixNano: ns }],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess.rejectedDataPoints).toBe('1');
    expect((await instant(rt, 'orders_placed_total'))[0]).toMatchObject({
      metric: { service: 'checkout', instance: 'i-1', region: 'eu' },
      value: [T / 1000, '12'],
    });
    expect((await instant(rt, 'queue_depth'))[0].value[1]).toBe('3.5');
    const buckets = await instant(rt, 'latency_bucket');
    expect(Object.fromEntries(buckets.map((b) => [b.metric.le, b.value[1]]))).toEqual({
      '0.1': '1',
      '1': '3',
      '+Inf': '4',
    });
  });

  it('keeps every sample once through compaction into blocks and serves rollups', async () => {
    const samples = Array.from(
      { length: 120 },
      (_, i) => [T - 3_600_000 + i * 30_000, i % 10] as [number, number],
    );
    await rt.api('POST', '/api/v1/metrics', {
      series: [{ name: 'compact_me', labels: { s: '1' }, samples }],
    });
    await rt.api('POST', '/api/v1/metrics', {
      series: [{ name: 'compact_me', labels: { s: '1' }, samples: samples.slice(0, 30) }],
    });
    const before = await instant(rt, 'count_over_time(compact_me[2h])');
    // The samples' 2-hour window (10:00–12:00) is compacted once its grace period is over: the
    // schedule runs compact-metrics as the clock passes 12:15. Only that window is folded, not
    // the node_exporter scrapes of the tests above (they sit in the open 12:00 window).
    await rt.advanceClock(15 * 60_000);
    await rt.runJob('compact-metrics');
    const after = await instant(rt, 'count_over_time(compact_me[2h])');
    expect(before[0].value[1]).toBe('120');
    expect(after[0].value[1]).toBe('120');
    expect((await instant(rt, 'sum_over_time(compact_me[2h])'))[0].value[1]).toBe(
      String(samples.reduce((a, [, v]) => a + v, 0)),
    );
    const hourly = `/api/v1/rollups?metric=compact_me&step=1h&agg=count&start=${(T - 4 * 3_600_000) / 1000}&end=${T / 1000}`;
    const rollups = await rt.api('GET', hourly);
    expect(rollups.status).toBe(200);
    const counts = rollups.body.data.result[0].values.map((v: [number, string]) => Number(v[1]));
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(120);
    const max = await rt.api(
      'GET',
      `/api/v1/rollups?metric=compact_me&step=1d&agg=max&start=${(T - 86_400_000) / 1000}&end=${T / 1000}`,
    );
    expect(max.body.data.result[0].values[0][1]).toBe('9');
  });
});
