import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

type Result = Array<{ metric: Record<string, string>; value: [number, string] }>;

describe('OTLP JSON from the OpenTelemetry JS SDK', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let exportedAt = 0;

  async function instant(query: string): Promise<Result> {
    const res = await rt.api(
      'GET',
      `/api/v1/query?query=${encodeURIComponent(query)}&time=${(exportedAt + 1000) / 1000}`,
    );
    expect(res.body.status, JSON.stringify(res.body)).toBe('success');
    return res.body.data.result;
  }

  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(Date.now());
    const exporter = new OTLPMetricExporter({
      url: `${rt.url}/v1/metrics`,
      headers: { Authorization: `Bearer ${rt.adminKey}` },
    });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.instance.id': 'pod-7' }),
      readers: [reader],
    });
    const meter = provider.getMeter('vigil-test');
    const requests = meter.createCounter('http.server.requests');
    requests.add(3, { route: '/cart', 'http.status_code': 200 });
    requests.add(2, { route: '/cart', 'http.status_code': 500 });
    const latency = meter.createHistogram('http.server.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 0.5, 1] },
    });
    for (const v of [0.05, 0.2, 0.3, 0.7, 2]) latency.record(v, { route: '/cart' });
    const inflight = meter.createUpDownCounter('jobs.inflight');
    inflight.add(5);
    inflight.add(-2);
    meter
      .createObservableGauge('queue.depth')
      .addCallback((result) => result.observe(17.5, { queue: 'emails' }));
    await reader.forceFlush();
    exportedAt = Date.now();
    await provider.shutdown();
  }, 60_000);

  afterAll(() => rt?.cleanup());

  it('turns a monotonic counter into a _total series with resource labels', async () => {
    const result = await instant('http_server_requests_total');
    const byStatus = Object.fromEntries(result.map((r) => [r.metric.http_status_code, r.value[1]]));
    expect(byStatus).toEqual({ 200: '3', 500: '2' });
    expect(result[0].metric).toMatchObject({ service: 'checkout', instance: 'pod-7', route: '/cart' });
  });

  it('turns a histogram into cumulative _bucket series with le, plus _sum and _count', async () => {
    const buckets = await instant('http_server_duration_bucket');
    const byLe = Object.fromEntries(buckets.map((r) => [r.metric.le, Number(r.value[1])]));
    expect(byLe).toEqual({ '0.1': 1, '0.5': 3, '1': 4, '+Inf': 5 });
    expect(Number((await instant('http_server_duration_count'))[0].value[1])).toBe(5);
    expect(Number((await instant('http_server_duration_sum'))[0].value[1])).toBeCloseTo(3.25, 9);
    const p50 = await instant('histogram_quantile(0.5, http_server_duration_bucket)');
    expect(Number(p50[0].value[1])).toBeGreaterThan(0.1);
    expect(Number(p50[0].value[1])).toBeLessThanOrEqual(0.5);
  });

  it('keeps non-monotonic sums and gauges as plain series', async () => {
    expect((await instant('jobs_inflight'))[0].value[1]).toBe('3');
    const depth = await instant('queue_depth');
    expect(depth[0].value[1]).toBe('17.5');
    expect(depth[0].metric).toMatchObject({ queue: 'emails', service: 'checkout' });
  });
});
