import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const T = Date.parse('2026-11-20T12:00:00Z');
const H = 3_600_000;
const DAY = 24 * H;
const iso = (t: number) => new Date(t).toISOString();

// Two weeks of hourly disk usage: 40 % rising 0.1 point an hour, with a daily swing of ±5 points.
const disk = (t: number) => {
  const h = (t - (T - 14 * DAY)) / H;
  return 40 + 0.1 * h + 5 * Math.sin((2 * Math.PI * h) / 24);
};

describe('analytics, insights and status', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T);
    const hours = Array.from({ length: 14 * 24 }, (_, k) => T - k * H);
    // Latency of two weeks: 100 ms in the first, 135 ms in the second (±2 ms).
    const latency = (t: number) => (t > T - 7 * DAY ? 0.135 : 0.1) + ((Math.floor(t / H) % 5) - 2) / 1000;
    await rt.api('POST', '/api/v1/metrics', {
      series: [
        { name: 'disk_used_percent', labels: { host: 'db-1' }, samples: hours.map((t) => [t, disk(t)]) },
        { name: 'api_latency_seconds', labels: {}, samples: hours.map((t) => [t, latency(t)]) },
      ],
    });
  });
  afterAll(() => rt.cleanup());

  const trends = (params: Record<string, string | number>) =>
    rt.api(
      'GET',
      `/api/v1/analytics/trends?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`,
    );

  it('recovers a known slope and daily season and says when the disk reaches a threshold', async () => {
    const res = await trends({
      query: 'disk_used_percent',
      start: iso(T - 14 * DAY + H),
      end: iso(T),
      step: 3600,
      horizonHours: 48,
      threshold: 80,
    });
    expect(res.status).toBe(200);
    const [series] = res.body.series;
    expect(series.labels).toMatchObject({ host: 'db-1' });
    expect(series.method).toBe('holt-winters');
    expect(series.trend.slopePerHour).toBeCloseTo(0.1, 2);
    expect(series.trend.direction).toBe('increasing');
    // The forecast follows the swing: each hour within 1.5 points of the truth.
    for (const f of series.forecast) expect(Math.abs(f.v - disk(f.t))).toBeLessThan(1.5);
    // The truth first reaches 80 % this many hours after T (on a daily peak, about a day out).
    const truth = Array.from({ length: 48 }, (_, h) => h + 1).find((h) => disk(T + h * H) >= 80);
    expect(truth).toBeGreaterThan(20);
    expect(Math.abs(series.hoursUntilThreshold - (truth as number))).toBeLessThanOrEqual(1);
  });

  it('forecasts with the method asked for', async () => {
    const base = { query: 'disk_used_percent', start: iso(T - 14 * DAY + H), end: iso(T), step: 3600 };
    const linear = (await trends({ ...base, method: 'linear', threshold: 90 })).body.series[0];
    expect(linear.method).toBe('linear');
    // Linear: 90 % at 40 + 0.1 h → h = 500 from the start, 500 - 335 = 165 h after the last point.
    expect(linear.hoursUntilThreshold).toBeGreaterThan(150);
    const flat = (await trends({ ...base, method: 'moving-average' })).body.series[0];
    expect(flat.method).toBe('moving-average');
    expect(new Set(flat.forecast.map((f: { v: number }) => f.v.toFixed(6))).size).toBe(1);
  });

  it.each([
    ['query', { query: 'rate(x[5m]' }],
    ['method', { method: 'crystal-ball' }],
    ['step', { step: 1 }],
    ['start', { start: 'yesterday' }],
    ['start', { start: iso(T), end: iso(T - H) }],
  ])('rejects a bad %s with problem+json naming it', async (field, change) => {
    const res = await trends({ query: 'disk_used_percent', ...change });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('compares two periods with a significance test', async () => {
    const params = new URLSearchParams({
      query: 'api_latency_seconds',
      beforeStart: iso(T - 14 * DAY + H),
      beforeEnd: iso(T - 7 * DAY),
      afterStart: iso(T - 7 * DAY + H),
      afterEnd: iso(T),
      step: '3600',
    });
    const res = await rt.api('GET', `/api/v1/analytics/compare?${params}`);
    expect(res.status).toBe(200);
    expect(res.body.significant).toBe(true);
    expect(res.body.changePercent).toBeCloseTo(35, 0);
    expect(res.body.before.mean).toBeCloseTo(0.1, 3);
    expect(res.body.after.mean).toBeCloseTo(0.135, 3);

    // The same week twice: no significant change.
    params.set('afterStart', params.get('beforeStart') as string);
    params.set('afterEnd', params.get('beforeEnd') as string);
    const same = await rt.api('GET', `/api/v1/analytics/compare?${params}`);
    expect(same.body).toMatchObject({ significant: false, changePercent: 0 });

    params.delete('beforeStart');
    const missing = await rt.api('GET', `/api/v1/analytics/compare?${params}`);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toContain('beforeStart');
  });

  it("counts Vigil's own API usage per key, route, status and day", async () => {
    const created = await rt.api('POST', '/api/v1/keys', { name: 'analyst', scopes: ['read'] });
    const key = created.body.key as string;
    const keyId = created.body.id as string;
    for (let i = 0; i < 3; i++) await rt.api('GET', '/api/v1/benchmarks', undefined, { key });
    await rt.api('GET', '/api/v1/analytics/usage?days=0', undefined, { key });
    // Usage is written at most every 10 s: move the clock on and let a request flush it.
    await rt.advanceClock(11_000);
    type Usage = {
      byKey?: Array<[string, number]>;
      byDay: Array<[string, number]>;
      topEndpoints: Array<[string, number]>;
      byStatus: Array<[string, number]>;
      activeKeys: number;
    };
    let usage = await rt.api<Usage>('GET', '/api/v1/analytics/usage?days=1');
    for (let attempt = 0; attempt < 50; attempt++) {
      usage = await rt.api<Usage>('GET', '/api/v1/analytics/usage?days=1');
      // The flush writes one counter at a time: wait for both of this key's.
      if (usage.body.byKey?.some(([k, n]) => k === keyId && n >= 4)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(usage.body.byKey, JSON.stringify(usage.body)).toContainEqual([keyId, 4]);
    expect(usage.body.byDay.map(([d]) => d)).toEqual(['2026-11-20']);
    expect(usage.body.topEndpoints.map(([route]) => route)).toContain('GET /api/v1/benchmarks');
    expect(usage.body.byStatus.map(([s]) => s)).toEqual(expect.arrayContaining(['200', '400']));
    expect(usage.body.activeKeys).toBeGreaterThanOrEqual(2);
  });

  it('lists insights with severity, a recommendation and the numbers behind them', async () => {
    // A benchmark well below its baseline must show up.
    await rt.api('POST', '/api/v1/benchmarks', {
      name: 'Disk headroom',
      query: 'disk_used_percent',
      unit: '%',
      baseline: 50,
      target: 30,
      better: 'lower',
    });
    const res = await rt.api('GET', '/api/v1/insights');
    expect(res.status).toBe(200);
    for (const f of res.body.findings) {
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(f.severity);
      expect(f.title).toEqual(expect.any(String));
      expect(f.recommendation.length).toBeGreaterThan(10);
      expect(f.numbers).toEqual(expect.any(Object));
    }
    const finding = res.body.findings.find((f: { title: string }) => f.title.startsWith('Disk headroom'));
    expect(finding).toMatchObject({ severity: 'medium', numbers: { baseline: 50, target: 30 } });
    expect(finding.numbers.value).toBeCloseTo(disk(T), 1);
  });

  it("finds a route of Vigil's own API whose p95 latency rose week over week", async () => {
    // Hourly cumulative histogram counters for two weeks, 100 requests an hour. Week one: 90 under
    // 100 ms, 10 under 250 ms → p95 175 ms. Week two adds 10 between 250 and 500 ms of the 100
    // → p95 375 ms, up 114 %. A second route stays the same and must not be reported.
    const buckets = ['0.1', '0.25', '0.5', '+Inf'];
    const hours = Array.from({ length: 14 * 24 }, (_, k) => T - (14 * 24 - 1 - k) * H);
    const perHour = (t: number, le: string) => {
      const second = t > T - 7 * DAY;
      const counts: Record<string, number> = second
        ? { '0.1': 80, '0.25': 90, '0.5': 100, '+Inf': 100 }
        : { '0.1': 90, '0.25': 100, '0.5': 100, '+Inf': 100 };
      return counts[le];
    };
    const series = ['GET /api/v1/things', 'GET /api/v1/steady'].flatMap((route) => [
      ...buckets.map((le) => ({
        name: 'vigil_http_request_duration_seconds_bucket',
        labels: { route, le, instance: 'synthetic' },
        samples: hours.map((t, k) => [
          t,
          hours
            .slice(0, k + 1)
            .reduce((n, u) => n + (route.endsWith('steady') ? (le === '0.1' ? 90 : 100) : perHour(u, le)), 0),
        ]),
      })),
      {
        name: 'vigil_http_request_duration_seconds_count',
        labels: { route, instance: 'synthetic' },
        samples: hours.map((t, k) => [t, 100 * (k + 1)]),
      },
    ]);
    expect((await rt.api('POST', '/api/v1/metrics', { series })).body).toMatchObject({ rejected: 0 });
    const res = await rt.api('GET', '/api/v1/insights');
    const latency = res.body.findings.filter((f: { title: string }) => f.title.startsWith('p95 latency'));
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ severity: 'high', numbers: { route: 'GET /api/v1/things' } });
    expect(latency[0].numbers.previousP95Seconds).toBeCloseTo(0.175, 3);
    expect(latency[0].numbers.p95Seconds).toBeCloseTo(0.375, 3);
    expect(latency[0].title).toBe(
      'p95 latency of GET /api/v1/things is up 114 % week over week (175 ms → 375 ms)',
    );
  });

  it('summarises health for dashboards in one call', async () => {
    const res = await rt.api('GET', '/api/v1/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      at: iso(rt.clock.now()),
      slos: expect.any(Array),
      firingAlerts: { count: expect.any(Number), alerts: expect.any(Array) },
      openIncidents: { count: expect.any(Number), incidents: expect.any(Array) },
      incidentsLast7Days: { bySeverity: { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0 }, count: 0 },
      recentAnomalies: expect.any(Array),
      ingest: {
        logStreams: expect.any(Number),
        logRecords: expect.any(Number),
        logBytes: expect.any(Number),
      },
      rules: { total: expect.any(Number), erroring: [] },
      benchmarks: expect.any(Array),
    });
    expect(res.body.slos.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['vigil-uptime', 'vigil-latency-p95', 'vigil-errors']),
    );
    for (const s of res.body.slos)
      expect(s).toMatchObject({ state: expect.stringMatching(/^(met|at_risk|breached|no_data)$/) });
    expect(res.body.benchmarks.map((b: { id: string }) => b.id)).toEqual(
      expect.arrayContaining(['api-latency', 'db-query-time', 'success-rate', 'memory']),
    );
  });
});
