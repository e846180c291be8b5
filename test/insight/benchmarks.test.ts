import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const T = Date.parse('2026-11-20T12:00:00Z');

describe('benchmarks', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T);
    // Two services' p95 latency: checkout at 150 ms, search at 320 ms.
    await rt.api('POST', '/api/v1/metrics', {
      series: [
        { name: 'p95_latency_seconds', labels: { service: 'checkout' }, samples: [[T - 30_000, 0.15]] },
        { name: 'p95_latency_seconds', labels: { service: 'search' }, samples: [[T - 30_000, 0.32]] },
      ],
    });
  });
  afterAll(() => rt.cleanup());

  const latency = {
    name: 'Checkout latency',
    query: 'p95_latency_seconds{service="checkout"}',
    unit: 's',
    baseline: 0.5,
    target: 0.2,
    better: 'lower',
  };

  it('ships the default benchmarks', async () => {
    const res = await rt.api('GET', '/api/v1/benchmarks');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.benchmarks.map((b: { id: string }) => [b.id, b]));
    expect(Object.keys(byId)).toEqual(
      expect.arrayContaining(['api-latency', 'db-query-time', 'success-rate', 'memory']),
    );
    expect(byId['success-rate']).toMatchObject({ better: 'higher', baseline: 0.99, target: 0.999 });
    expect(byId.memory).toMatchObject({ better: 'lower', baseline: 0.8, target: 0.6 });
    // No database metrics exist here, so that benchmark has nothing to rate.
    expect(byId['db-query-time'].evaluation).toMatchObject({ rating: 'no_data', series: [] });
  });

  it('rates a query against baseline and target, and follows edits', async () => {
    const created = await rt.api('POST', '/api/v1/benchmarks', latency);
    expect(created.status).toBe(201);
    // 150 ms is under the 200 ms target: exceeds; 70 % better than the baseline, 25 % than the target.
    expect(created.body.evaluation).toMatchObject({
      rating: 'exceeds',
      series: [{ value: 0.15, rating: 'exceeds', vsBaselinePercent: 70, vsTargetPercent: 25 }],
    });
    const id = created.body.id;

    // Tighter: 150 ms misses a 100 ms target but beats a 180 ms baseline.
    const edited = await rt.api('PUT', `/api/v1/benchmarks/${id}`, {
      ...latency,
      baseline: 0.18,
      target: 0.1,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.evaluation.rating).toBe('meets');
    expect((await rt.api('GET', `/api/v1/benchmarks/${id}`)).body).toMatchObject({
      baseline: 0.18,
      target: 0.1,
      evaluation: { rating: 'meets' },
    });

    expect((await rt.api('DELETE', `/api/v1/benchmarks/${id}`)).status).toBe(204);
    expect((await rt.api('GET', `/api/v1/benchmarks/${id}`)).status).toBe(404);
  });

  it('rates every series and takes the worst', async () => {
    const res = await rt.api('POST', '/api/v1/benchmarks', {
      ...latency,
      name: 'All latency',
      query: 'p95_latency_seconds',
      baseline: 0.3,
    });
    const ratings = Object.fromEntries(
      res.body.evaluation.series.map((s: { labels: { service: string }; rating: string }) => [
        s.labels.service,
        s.rating,
      ]),
    );
    expect(ratings).toEqual({ checkout: 'exceeds', search: 'below' });
    expect(res.body.evaluation.rating).toBe('below');
  });

  it('rates a higher-is-better benchmark', async () => {
    await rt.api('POST', '/api/v1/metrics', {
      series: [{ name: 'cache_hit_ratio', labels: {}, samples: [[T - 30_000, 0.93]] }],
    });
    const res = await rt.api('POST', '/api/v1/benchmarks', {
      name: 'Cache hits',
      query: 'cache_hit_ratio',
      baseline: 0.9,
      target: 0.95,
      better: 'higher',
    });
    expect(res.body.evaluation).toMatchObject({ rating: 'meets', series: [{ value: 0.93 }] });
  });

  it.each([
    ['target', { target: 0.8 }],
    ['better', { better: 'smaller' }],
    ['query', { query: 'rate(x[5m]' }],
    ['baseline', { baseline: 'fast' }],
    ['name', { name: '  ' }],
    ['extra', { extra: true }],
  ])('rejects a bad %s with problem+json naming the field', async (field, change) => {
    const res = await rt.api('POST', '/api/v1/benchmarks', { ...latency, ...change });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('needs the write scope to change benchmarks', async () => {
    const key = await rt.api('POST', '/api/v1/keys', { name: 'reader', scopes: ['read'] });
    expect(key.status).toBe(201);
    const token = key.body.key ?? key.body.secret ?? key.body.token;
    expect((await rt.api('GET', '/api/v1/benchmarks', undefined, { key: token })).status).toBe(200);
    expect((await rt.api('POST', '/api/v1/benchmarks', latency, { key: token })).status).toBe(403);
  });
});
