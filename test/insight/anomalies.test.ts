import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

// On a 5-minute boundary, so the job's range steps land on the samples.
const T = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;

describe('anomaly detection job', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T);
  });
  afterAll(() => rt.cleanup());

  it('stores an anomaly once for a spike, lists it and raises it as an alert', async () => {
    // A day of queue depth every 5 minutes around 100 (±3), then 400 at T.
    const times = Array.from({ length: 288 }, (_, k) => T - (287 - k) * 5 * MIN);
    const samples = times.map((t, k) => [t, k === 287 ? 400 : 100 + ((k * 37) % 7) - 3]);
    await rt.api('POST', '/api/v1/metrics', {
      series: [{ name: 'queue_depth', labels: { queue: 'orders' }, samples }],
    });
    const created = await rt.api('POST', '/api/v1/anomaly-detectors', {
      name: 'Order queue',
      query: 'queue_depth',
      raiseAlert: true,
    });
    expect(created.status).toBe(201);

    await rt.runJob('detect-anomalies');
    const list = await rt.api('GET', '/api/v1/anomalies');
    expect(list.status).toBe(200);
    expect(list.body.anomalies).toHaveLength(1);
    const [a] = list.body.anomalies;
    expect(a).toMatchObject({ detector: created.body.id, value: 400, at: new Date(T).toISOString() });
    expect(a.series).toMatchObject({ queue: 'orders' });
    expect(['low', 'medium', 'high', 'critical']).toContain(a.severity);
    expect(a.score).toBeGreaterThanOrEqual(1);
    expect(a.expected.high).toBeLessThan(400);
    expect(a.expected.median).toBeCloseTo(100, -1);

    // The same point scored again is not a second anomaly.
    await rt.runJob('detect-anomalies');
    expect((await rt.api('GET', '/api/v1/anomalies')).body.anomalies).toHaveLength(1);

    const alerts = (await rt.api('GET', '/api/v1/alerts?state=firing')).body.alerts;
    expect(alerts.map((x: { labels: Record<string, string> }) => x.labels)).toContainEqual(
      expect.objectContaining({ alertname: 'Anomaly', detector: 'Order queue', queue: 'orders' }),
    );
  });

  it('finds nothing in a quiet series', async () => {
    const times = Array.from({ length: 288 }, (_, k) => T - (287 - k) * 5 * MIN);
    await rt.api('POST', '/api/v1/metrics', {
      series: [
        { name: 'quiet_depth', labels: {}, samples: times.map((t, k) => [t, 50 + ((k * 37) % 5) - 2]) },
      ],
    });
    const created = await rt.api('POST', '/api/v1/anomaly-detectors', {
      name: 'Quiet',
      query: 'quiet_depth',
    });
    await rt.runJob('detect-anomalies');
    const mine = (await rt.api('GET', '/api/v1/anomalies')).body.anomalies.filter(
      (x: { detector: string }) => x.detector === created.body.id,
    );
    expect(mine).toEqual([]);
  });

  it('rejects a bad detector with problem+json naming the field', async () => {
    const res = await rt.api('POST', '/api/v1/anomaly-detectors', {
      name: 'x',
      query: 'queue_depth',
      seasonality: 'monthly',
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('seasonality');
  });
});
