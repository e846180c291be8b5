import { LogStore } from '@vigil/dynamo';
import { platform } from '@vigil/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * GET /api/v1/logs/streams counts what is kept: when chunks expire by TTL or a shorter
 * retention, their records and bytes leave the counts too.
 */
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T12:00:00Z');

describe('log stream counts follow retention', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T0);
  });
  afterAll(() => rt.cleanup());

  const ingest = async (service: string, at: number, messages: string[]) => {
    const records = messages.map((message) => ({
      timestamp: new Date(at).toISOString(),
      level: 'info',
      service,
      message,
    }));
    const res = await rt.api('POST', '/api/v1/logs', records);
    expect(res.body).toMatchObject({ accepted: records.length, rejected: 0 });
  };
  type Stream = { service: string; records: number; bytes: number; newest: string };
  const listed = async (service: string) => {
    const res = await rt.api('GET', '/api/v1/logs/streams');
    expect(res.status).toBe(200);
    return (res.body.streams as Stream[]).find((s) => s.service === service);
  };
  /** What the table itself holds, without leaving out days past retention at read time. */
  const stored = async (service: string) =>
    (await new LogStore(platform().tables.logs).streams()).find((s) => s.service === service);
  const searched = async (service: string) => {
    const q = new URLSearchParams({ service, start: new Date(T0 - 60 * DAY).toISOString(), limit: '1000' });
    return (await rt.api('GET', `/api/v1/logs/search?${q}`)).body.records.length as number;
  };

  it('drops expired days from the counts after the sweep, and at once when retention shortens', async () => {
    await ingest('ledger', T0 - 20 * DAY, ['posting one']);
    await ingest('ledger', T0 - 3 * DAY, ['posting two', 'posting three']);
    await ingest('ledger', T0, ['posting four', 'posting five', 'posting six']);
    await ingest('web', T0 - 20 * DAY, ['page view']);
    const all = (await listed('ledger'))!;
    expect(all).toMatchObject({ records: 6, newest: new Date(T0).toISOString() });
    const bytesAll = all.bytes;

    // Shorter retention: the day 20 days ago is deleted now, not left for the TTL sweep.
    expect((await rt.api('PUT', '/api/v1/logs/retention', { service: 'ledger', days: 7 })).status).toBe(200);
    expect((await listed('ledger'))!.records).toBe(5);
    expect((await stored('ledger'))!.records).toBe(5);
    expect((await listed('ledger'))!.bytes).toBeLessThan(bytesAll);
    expect(await searched('ledger')).toBe(5);

    // Five days on, the records of three days before T0 are past the 7 days.
    rt.clock.set(T0 + 5 * DAY);
    expect((await listed('ledger'))!.records).toBe(3);
    expect(await searched('ledger')).toBe(3);
    // The TTL sweep removes their counters along with their chunks.
    expect((await stored('ledger'))!.records).toBe(5);
    await rt.sweepTtl();
    expect((await stored('ledger'))!).toMatchObject({ records: 3, newest: new Date(T0).toISOString() });
    // The default 30 days still keep web's day.
    expect((await listed('web'))!.records).toBe(1);

    // Past every day: the stream is no longer listed.
    rt.clock.set(T0 + 9 * DAY);
    await rt.sweepTtl();
    expect(await listed('ledger')).toBeUndefined();
    expect(await stored('ledger')).toBeUndefined();
    expect(await searched('ledger')).toBe(0);
    // What was ever written is still counted for daily log-volume snapshots.
    const totals = await new LogStore(platform().tables.logs).streamTotals();
    expect(totals.find((s) => s.service === 'ledger')!.records).toBe(6);
  });

  it('keeps counts longer when retention grows', async () => {
    const now = rt.clock.now();
    await ingest('archive', now - 2 * DAY, ['kept a while']);
    expect((await rt.api('PUT', '/api/v1/logs/retention', { service: 'archive', days: 90 })).status).toBe(
      200,
    );
    rt.clock.set(now + 60 * DAY);
    await rt.sweepTtl();
    expect((await stored('archive'))!.records).toBe(1);
    expect((await listed('archive'))!.records).toBe(1);
    rt.clock.set(now + 90 * DAY);
    await rt.sweepTtl();
    expect(await stored('archive')).toBeUndefined();
  });
});
