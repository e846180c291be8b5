import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const DAY = 86_400_000;
// Friday 08:00 UTC: the daily report run records the day's log volume.
const T = Date.parse('2026-11-20T08:00:00Z');

describe('log volume insight', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T);
  });
  afterAll(() => rt.cleanup());

  it("reports a service whose log volume jumped against the week before, from the daily run's snapshots", async () => {
    // The week before, as earlier daily runs recorded it: payments logged 40 records a day
    // (cumulative 0 on 11-13 up to 240 on 11-19); search only appears in the last snapshot.
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: rt.store.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    for (let d = 7; d >= 1; d--) {
      const day = new Date(T - d * DAY).toISOString().slice(0, 10);
      const services: Record<string, { records: number; bytes: number }> = {
        payments: { records: (7 - d) * 40, bytes: (7 - d) * 4000 },
      };
      if (d === 1) services.search = { records: 10, bytes: 1000 };
      await db.send(
        new PutCommand({ TableName: 'vigil-state', Item: { PK: 'LOGVOLUME', SK: day, services } }),
      );
    }
    // Nothing to compare yet for today.
    const before = await rt.api('GET', '/api/v1/insights');
    expect(before.body.findings.some((f: { title: string }) => f.title.startsWith('Log volume'))).toBe(false);

    // Since then payments logged 1,260 more records (1,500 in all), search 100 more.
    const rec = (service: string, i: number) => ({
      timestamp: new Date(T - DAY + i * 1000).toISOString(),
      level: 'error',
      service,
      message: `retrying charge ${i}`,
    });
    for (let from = 0; from < 1500; from += 500) {
      const res = await rt.api(
        'POST',
        '/api/v1/logs',
        Array.from({ length: 500 }, (_, i) => rec('payments', from + i)),
      );
      expect(res.body).toMatchObject({ rejected: 0 });
    }
    await rt.api(
      'POST',
      '/api/v1/logs',
      Array.from({ length: 110 }, (_, i) => rec('search', i)),
    );
    await rt.runJob('generate-reports');

    const res = await rt.api('GET', '/api/v1/insights');
    const logs = res.body.findings.filter((f: { title: string }) => f.title.startsWith('Log volume'));
    // 1,260 in the last day against 240 / 6 = 40 a day: 31.5×. Search is too small to count.
    expect(logs).toEqual([
      expect.objectContaining({
        severity: 'medium',
        numbers: expect.objectContaining({
          service: 'payments',
          recordsLastDay: 1260,
          recordsPerDayBefore: 40,
        }),
      }),
    ]);
    expect(logs[0].title).toContain('31.5×');
  });
});
