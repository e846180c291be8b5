import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const T = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;

type Sample = [number, number];

/**
 * SLO over per-interval counts (gauges summed with sum_over_time), so that the hand-computed
 * numbers need no PromQL extrapolation.
 */
const sloBody = (metric: string, target: number, windowDays = 7) => ({
  name: `${metric} availability`,
  service: metric,
  kind: 'availability',
  good: `sum(sum_over_time(${metric}_good[$window]))`,
  total: `sum(sum_over_time(${metric}_total[$window]))`,
  target,
  windowDays,
});

describe('SLOs', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  const write = async (name: string, samples: Sample[]) => {
    for (let i = 0; i < samples.length; i += 2000) {
      const res = await rt.api('POST', '/api/v1/metrics', {
        series: [{ name, labels: {}, samples: samples.slice(i, i + 2000) }],
      });
      expect(res.body, JSON.stringify(res.body)).toMatchObject({ rejected: 0 });
    }
  };

  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T);
  });
  afterAll(() => rt.cleanup());

  it('creates, reads, updates and deletes an SLO whose status matches hand-computed numbers', async () => {
    // One sample every 10 minutes over 7 days (the last at T - 5m), 100 requests each.
    // 30 old samples had 2 failures; the 6 samples of the last hour have 2 failures each.
    const times = Array.from({ length: 1008 }, (_, k) => T - 5 * MIN - k * 10 * MIN);
    await write(
      'shop_total',
      times.map((t) => [t, 100]),
    );
    await write(
      'shop_good',
      times.map((t, k) => [t, k < 6 || (k >= 500 && k < 530) ? 98 : 100]),
    );
    const created = await rt.api('POST', '/api/v1/slos', sloBody('shop', 0.99));
    expect(created.status).toBe(201);
    const id = created.body.id;
    // Window: 100 800 requests, 72 bad → SLI 1 - 72/100800; budget 1 - (72/100800)/0.01.
    // Last hour: 600 requests, 12 bad → SLI 0.98, burning at 0.02/0.01 = 2×.
    // Time to exhaustion: 0.928571 × 168 h / 2 = 78 h, inside the window → at risk.
    const got = await rt.api('GET', `/api/v1/slos/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.status.state).toBe('at_risk');
    expect(got.body.status.sli).toBeCloseTo(1 - 72 / 100_800, 6);
    expect(got.body.status.budgetRemaining).toBeCloseTo(1 - 72 / 100_800 / 0.01, 6);
    expect(got.body.status.burnRate).toBeCloseTo(2, 6);
    expect(got.body.status.hoursToExhaustion).toBeCloseTo(((1 - 72 / 100_800 / 0.01) * 168) / 2, 1);

    const list = await rt.api('GET', '/api/v1/slos');
    expect(list.body.slos.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['vigil-uptime', 'vigil-latency-p95', 'vigil-errors', id]),
    );

    // 99.95 %: 0.0714 % bad is more than the 0.05 % allowed → breached.
    const tighter = await rt.api('PUT', `/api/v1/slos/${id}`, sloBody('shop', 0.9995));
    expect(tighter.status).toBe(200);
    const breached = await rt.api('GET', `/api/v1/slos/${id}`);
    expect(breached.body.status).toMatchObject({ state: 'breached', hoursToExhaustion: 0 });
    expect(breached.body.status.budgetRemaining).toBeCloseTo(1 - 72 / 100_800 / 0.0005, 6);

    // 90 %: the last hour's 2 % is a fifth of the 10 % allowed; 99.3 % of the budget is left.
    await rt.api('PUT', `/api/v1/slos/${id}`, sloBody('shop', 0.9));
    const met = await rt.api('GET', `/api/v1/slos/${id}`);
    expect(met.body.status).toMatchObject({ state: 'met' });
    expect(met.body.status.burnRate).toBeCloseTo(0.2, 6);

    expect((await rt.api('DELETE', `/api/v1/slos/${id}`)).status).toBe(204);
    expect((await rt.api('GET', `/api/v1/slos/${id}`)).status).toBe(404);
    expect((await rt.api('DELETE', `/api/v1/slos/${id}`)).status).toBe(404);
  });

  it('has no data for an SLO over series that do not exist', async () => {
    const created = await rt.api('POST', '/api/v1/slos', sloBody('nothing_here', 0.99));
    expect(created.body.status).toMatchObject({ state: 'no_data', sli: null, budgetRemaining: null });
    await rt.api('DELETE', `/api/v1/slos/${created.body.id}`);
  });

  it.each([
    ['target', { target: 1.5 }],
    ['target', { target: 'high' }],
    ['windowDays', { windowDays: 14 }],
    ['good', { good: 'sum(rate(x[$window])' }],
    ['kind', { kind: 'throughput' }],
    ['name', { name: '' }],
  ])('rejects a bad %s with problem+json naming the field', async (field, change) => {
    const res = await rt.api('POST', '/api/v1/slos', { ...sloBody('shop', 0.99), ...change });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('raises a multi-window burn-rate alert through the alerting pipeline and resolves it when the burn stops', async () => {
    // Per-minute counts of 1000 requests: none failing for 3 days, then 20 % failing from
    // T - 1h to T + 10m, then none again. Over 1 h and 5 m the burn is 20× (> 14.4×); over 6 h
    // it is at most 20 × 70/360 ≈ 3.9× (< 6×) and over 3 d under 1×: only the 1h/5m pair fires.
    // The evaluate-slos job runs every 5 minutes (T is on such a boundary).
    // Before T - 7h one sample per 10 minutes carries ten minutes' counts.
    const tenMinutes = Array.from({ length: 6 * 65 }, (_, k) => T - 7 * 60 * MIN - k * 10 * MIN - 30_000);
    const minutes = Array.from({ length: 7 * 60 + 30 }, (_, k) => T - 7 * 60 * MIN + (k + 1) * MIN - 30_000);
    const inBurst = (t: number) => t > T - 60 * MIN && t <= T + 10 * MIN;
    await write('burn_total', [
      ...tenMinutes.map((t): Sample => [t, 10_000]),
      ...minutes.map((t): Sample => [t, 1000]),
    ]);
    await write('burn_good', [
      ...tenMinutes.map((t): Sample => [t, 10_000]),
      ...minutes.map((t): Sample => [t, inBurst(t) ? 800 : 1000]),
    ]);
    const created = await rt.api('POST', '/api/v1/slos', sloBody('burn', 0.99, 30));
    expect(created.status).toBe(201);
    const slo = created.body.id;
    type Alert = { labels: Record<string, string>; annotations: Record<string, string> };
    const ofSlo = (alerts: Alert[]) => alerts.filter((a) => a.labels.slo === slo);
    // Webhook-shaped payloads of the alert notifications about this SLO.
    const notifications = () =>
      rt.sns.messages
        .filter((m) => m.attributes.kind === 'alert')
        .map((m) => ({ attributes: m.attributes, payload: JSON.parse(JSON.parse(m.message).default) }))
        .filter((n) => n.payload.alerts.some((a: { labels: { slo?: string } }) => a.labels.slo === slo));

    await rt.advanceClock(5 * MIN);
    const firing = ofSlo((await rt.api('GET', '/api/v1/alerts?state=firing')).body.alerts);
    expect(firing.map((a) => a.labels)).toEqual([
      { alertname: 'SLOErrorBudgetBurn', slo, service: 'burn', window: '1h/5m', severity: 'critical' },
    ]);
    expect(firing[0].annotations.summary).toMatch(/at 20× over 1h \(20× over 5m\), above 14\.4×/);

    // The SLO itself shows what is burning.
    expect((await rt.api('GET', `/api/v1/slos/${slo}`)).body.burnAlerts).toEqual([
      expect.objectContaining({ window: '1h/5m', severity: 'critical' }),
    ]);

    // Routed and notified like any critical alert, once group_wait has passed.
    await rt.advanceClock(MIN);
    expect(notifications().map((n) => n.payload.status)).toEqual(['firing']);
    expect(notifications()[0].attributes).toMatchObject({ severity: 'critical', channel: 'email' });

    // Still burning at T + 10m; at T + 15m the 5 m window is clean.
    await rt.advanceClock(4 * MIN);
    expect(ofSlo((await rt.api('GET', '/api/v1/alerts?state=firing')).body.alerts)).toHaveLength(1);
    await rt.advanceClock(5 * MIN);
    expect(ofSlo((await rt.api('GET', '/api/v1/alerts?state=firing')).body.alerts)).toEqual([]);
    expect(ofSlo((await rt.api('GET', '/api/v1/alerts?state=resolved')).body.alerts)).toHaveLength(1);
    expect((await rt.api('GET', `/api/v1/slos/${slo}`)).body.burnAlerts).toEqual([]);
    // The resolution is notified on the group's next tick (group_interval 5m after T + 6m).
    await rt.advanceClock(MIN);
    expect(notifications().map((n) => n.payload.status)).toEqual(['firing', 'resolved']);
  }, 90_000);
});
