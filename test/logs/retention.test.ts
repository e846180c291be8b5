import type { LogRecord } from '@vigil/core/logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * Retention per service, driven by the test clock: records older than the window leave search
 * as soon as they age out, their chunks are deleted by the TTL sweep, newer ones stay.
 */
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T12:00:00Z');

describe('log retention', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T0);
  });
  afterAll(() => rt.cleanup());

  const ingest = async (records: object[]) => {
    const res = await rt.api('POST', '/api/v1/logs', records);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: records.length, rejected: 0 });
  };
  const rec = (service: string, t: number, message: string) => ({
    timestamp: new Date(t).toISOString(),
    level: 'info',
    service,
    message,
  });
  const search = async (service: string) => {
    const q = new URLSearchParams({
      service,
      start: new Date(T0 - 100 * DAY).toISOString(),
      end: new Date(T0 + 100 * DAY).toISOString(),
      limit: '1000',
    });
    const res = await rt.api('GET', `/api/v1/logs/search?${q}`);
    expect(res.status).toBe(200);
    return {
      messages: (res.body.records as LogRecord[]).map((r) => r.message),
      read: res.body.stats.chunksRead as number,
    };
  };

  it('round-trips the retention settings, 30 days unless set', async () => {
    const before = await rt.api('GET', '/api/v1/logs/retention');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ defaultDays: 30, services: {} });
    const put = await rt.api('PUT', '/api/v1/logs/retention', { service: 'billing', days: 7 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ service: 'billing', days: 7 });
    expect((await rt.api('PUT', '/api/v1/logs/retention', { service: 'web', days: 90 })).status).toBe(200);
    const after = await rt.api('GET', '/api/v1/logs/retention');
    expect(after.body).toEqual({ defaultDays: 30, services: { billing: 7, web: 90 } });
  });

  it.each([
    [{ service: 'billing', days: 0 }, 'days'],
    [{ service: 'billing', days: 2.5 }, 'days'],
    [{ service: 'billing', days: '7' }, 'days'],
    [{ service: 'billing', days: 100_000 }, 'days'],
    [{ service: 'bad name!', days: 7 }, 'service'],
    [{ days: 7 }, 'service'],
    [{ service: 'billing', days: 7, extra: true }, 'extra'],
  ])('rejects %j with problem+json naming %s', async (body, field) => {
    const res = await rt.api('PUT', '/api/v1/logs/retention', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('rejects a body that is not JSON, and a key without the write scope', async () => {
    const bad = await rt.api('PUT', '/api/v1/logs/retention', undefined, {
      raw: '{"service":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const reader = await rt.api('POST', '/api/v1/keys', { name: 'reader', scopes: ['read'] });
    const denied = await rt.api(
      'PUT',
      '/api/v1/logs/retention',
      { service: 'billing', days: 1 },
      { key: reader.body.key },
    );
    expect(denied.status).toBe(403);
    expect((await rt.api('GET', '/api/v1/logs/retention')).body.services.billing).toBe(7);
  });

  it('drops records older than the window after the sweep, keeps newer ones', async () => {
    // billing keeps 7 days, audit the default 30.
    await ingest([
      rec('billing', T0 - 6 * DAY, 'old invoice run'),
      rec('billing', T0 - 5 * DAY, 'old refund'),
    ]);
    await ingest([
      rec('billing', T0 - 2 * DAY, 'recent invoice run'),
      rec('billing', T0 - DAY, 'recent refund'),
    ]);
    await ingest([rec('audit', T0 - 6 * DAY, 'audit entry')]);
    // One chunk straddling the edge: its old record must leave search even though the chunk stays.
    await ingest([
      rec('billing', T0 - 4.5 * DAY, 'straddle old'),
      rec('billing', T0 - 0.5 * DAY, 'straddle new'),
    ]);
    expect((await search('billing')).messages).toEqual([
      'straddle new',
      'recent refund',
      'recent invoice run',
      'straddle old',
      'old refund',
      'old invoice run',
    ]);
    expect(await rt.sweepTtl()).toBe(0);

    // Moved directly: a jump of days need not run every minute's schedules on the way.
    rt.clock.set(T0 + 3 * DAY);
    // Now the old batch is 8-9 days old, "straddle old" 7.5 days: all past billing's 7 days.
    const swept = await rt.sweepTtl();
    expect(swept).toBeGreaterThanOrEqual(2); // the old batch's chunk and its index entry
    const billing = await search('billing');
    expect(billing.messages).toEqual(['straddle new', 'recent refund', 'recent invoice run']);
    expect(billing.read).toBe(2);
    expect((await search('audit')).messages).toEqual(['audit entry']);

    // Past audit's 30 days too.
    rt.clock.set(T0 + 25 * DAY);
    expect(await rt.sweepTtl()).toBeGreaterThanOrEqual(2);
    expect((await search('audit')).messages).toEqual([]);
    expect((await search('billing')).messages).toEqual([]);
  });

  it('applies a new retention to what is already stored, shorter and longer', async () => {
    const now = rt.clock.now();
    await ingest([rec('orders', now - 10 * DAY, 'order ten days ago')]);
    await ingest([rec('orders', now - 2 * DAY, 'order two days ago')]);
    await ingest([rec('shipping', now - 3 * DAY, 'parcel sent')]);
    expect((await search('orders')).messages).toHaveLength(2);

    // Shorter: the 10-day-old chunk goes at once, not at its old expiry.
    const shorter = await rt.api('PUT', '/api/v1/logs/retention', { service: 'orders', days: 5 });
    expect(shorter.body).toMatchObject({ days: 5, chunksDeleted: 1 });
    expect((await search('orders')).messages).toEqual(['order two days ago']);

    // Longer: shipping's chunk was written to expire after 30 days; now it lives 60.
    await rt.api('PUT', '/api/v1/logs/retention', { service: 'shipping', days: 60 });
    rt.clock.set(now + 40 * DAY);
    await rt.sweepTtl();
    expect((await search('shipping')).messages).toEqual(['parcel sent']);
    expect((await search('orders')).messages).toEqual([]);
    rt.clock.set(now + 58 * DAY);
    await rt.sweepTtl();
    expect((await search('shipping')).messages).toEqual([]);
  });
});
