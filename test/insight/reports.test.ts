import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { occurrencesBetween, parseScheduleExpression } from '@vigil/core/schedule';
import { manifest } from '@vigil/infra/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const GOLDEN = new URL('./golden/', import.meta.url).pathname;
const MIN = 60_000;
const DAY = 86_400_000;
// Monday 2026-11-16: at 08:00 UTC both the daily and the weekly reports are due.
const EIGHT = Date.parse('2026-11-16T08:00:00Z');
const T0 = EIGHT - 10 * MIN;

/**
 * Compares with the golden file, writing it when missing or with UPDATE_GOLDEN=1 (then run
 * `npx biome format --write test/insight/golden`). JSON is compared as data, so its layout is free.
 */
function golden(name: string, actual: string) {
  const file = join(GOLDEN, name);
  if (!existsSync(file) || process.env.UPDATE_GOLDEN) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  const expected = readFileSync(file, 'utf8');
  if (name.endsWith('.json')) expect(JSON.parse(actual), `golden file ${name}`).toEqual(JSON.parse(expected));
  else expect(actual, `golden file ${name}`).toBe(expected);
}

describe('reports', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let reports: Array<{ id: string; type: string; period: { start: string; end: string } }>;

  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T0);
    // Only the data seeded here: the shipped defaults measure Vigil's own (timing-dependent) requests.
    for (const id of ['vigil-uptime', 'vigil-latency-p95', 'vigil-errors'])
      await rt.api('DELETE', `/api/v1/slos/${id}`);
    for (const id of ['api-latency', 'db-query-time', 'success-rate', 'memory'])
      await rt.api('DELETE', `/api/v1/benchmarks/${id}`);

    // Two weeks of 15-minute samples up to 08:00: checkout p95 rising 1 ms an hour around a daily
    // swing; cache hits slowly falling.
    const quarters = Array.from({ length: 14 * 96 }, (_, k) => EIGHT - k * 15 * MIN);
    const hour = (t: number) => (t - (EIGHT - 14 * DAY)) / 3_600_000;
    await rt.api('POST', '/api/v1/metrics', {
      series: [
        {
          name: 'checkout_p95_seconds',
          labels: {},
          samples: quarters.map((t) => [
            t,
            Math.round((0.15 + 0.001 * hour(t) + 0.03 * Math.sin((2 * Math.PI * hour(t)) / 24)) * 1e4) / 1e4,
          ]),
        },
        {
          name: 'cache_hit_ratio',
          labels: {},
          samples: quarters.map((t) => [t, Math.round((0.975 - 0.0001 * hour(t)) * 1e4) / 1e4]),
        },
      ],
    });
    // A week of shop traffic, 100 requests per 10 minutes; the last hour fails 2 %.
    const tens = Array.from({ length: 7 * 144 }, (_, k) => EIGHT - 5 * MIN - k * 10 * MIN);
    await rt.api('POST', '/api/v1/metrics', {
      series: [
        { name: 'shop_total', labels: {}, samples: tens.map((t) => [t, 100]) },
        { name: 'shop_good', labels: {}, samples: tens.map((t, k) => [t, k < 6 ? 98 : 100]) },
      ],
    });
    await rt.api('POST', '/api/v1/slos', {
      name: 'Shop availability',
      service: 'shop',
      kind: 'availability',
      good: 'sum(sum_over_time(shop_good[$window]))',
      total: 'sum(sum_over_time(shop_total[$window]))',
      target: 0.99,
      windowDays: 7,
    });
    await rt.api('POST', '/api/v1/benchmarks', {
      name: 'Checkout latency (p95)',
      query: 'checkout_p95_seconds',
      unit: 's',
      baseline: 0.5,
      target: 0.25,
      better: 'lower',
    });
    await rt.api('POST', '/api/v1/benchmarks', {
      name: 'Cache hit ratio',
      query: 'cache_hit_ratio',
      unit: 'ratio',
      baseline: 0.9,
      target: 0.95,
      better: 'higher',
    });

    // Usage of the week before, as the request observer records it (one item per day, key, route, status).
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: rt.store.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    for (let d = 1; d <= 7; d++) {
      const day = new Date(EIGHT - d * DAY).toISOString().slice(0, 10);
      const rows: Array<[string, string, string, number]> = [
        ['key_ci', 'POST /api/v1/metrics', '200', 1000 + 10 * d],
        ['key_ci', 'POST /api/v1/metrics', '503', d % 3],
        ['key_grafana', 'GET /api/v1/query_range', '200', 400 + d],
        ['key_grafana', 'GET /api/v1/query', '400', 2],
        ['anonymous', 'GET /health/live', '200', 1440],
      ];
      for (const [keyId, route, status, count] of rows)
        await db.send(
          new PutCommand({
            TableName: 'vigil-state',
            Item: { PK: `USAGE#${day}`, SK: `${keyId}|${route}|${status}`, day, keyId, route, status, count },
          }),
        );
    }

    // Two incidents this morning: the SEV2 acknowledged after 4 minutes and resolved after 8.
    const sev2 = await rt.api('POST', '/api/v1/incidents', {
      title: 'Checkout errors',
      severity: 'SEV2',
      service: 'checkout',
    });
    await rt.api('POST', '/api/v1/incidents', { title: 'Search slow', severity: 'SEV3', service: 'search' });
    await rt.api('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'DiskFilling', severity: 'medium', service: 'db', instance: 'db-1' },
        annotations: { summary: 'Disk of db-1 fills up' },
        endsAt: new Date(EIGHT + 60 * MIN).toISOString(),
      },
    ]);
    await rt.advanceClock(4 * MIN);
    await rt.api('POST', `/api/v1/incidents/${sev2.body.id}/acknowledge`);
    await rt.advanceClock(4 * MIN);
    await rt.api('POST', `/api/v1/incidents/${sev2.body.id}/resolve`);
    // 08:00: the schedules generate the reports.
    await rt.advanceClock(2 * MIN);
    reports = (await rt.api('GET', '/api/v1/reports')).body.reports;
  });
  afterAll(() => rt.cleanup());

  it('schedules generate-reports daily at 08:00 UTC and weekly on Mondays', () => {
    const rows = manifest.schedules.filter((s) => s.function === 'generate-reports');
    const week = (expression: string) =>
      occurrencesBetween(parseScheduleExpression(expression), EIGHT - DAY, EIGHT + 6 * DAY).map((t) =>
        new Date(t).toISOString(),
      );
    expect(rows.map((r) => r.name).sort()).toEqual(['daily-report', 'weekly-report']);
    const daily = rows.find((r) => r.name === 'daily-report') as (typeof rows)[number];
    const weekly = rows.find((r) => r.name === 'weekly-report') as (typeof rows)[number];
    expect(week(daily.expression)).toEqual(
      Array.from({ length: 7 }, (_, d) => new Date(EIGHT + d * DAY).toISOString()),
    );
    expect(week(weekly.expression)).toEqual(['2026-11-16T08:00:00.000Z']);
  });

  it('sends the daily executive report and the weekly set once on a Monday, even when both schedules fire', async () => {
    const byPeriod = reports.map(
      (r) => `${r.type}:${(Date.parse(r.period.end) - Date.parse(r.period.start)) / DAY}`,
    );
    expect(byPeriod.sort()).toEqual(['executive:1', 'executive:7', 'performance:7', 'trend:7', 'usage:7']);
    // Running the job again the same day sends nothing more.
    await rt.runJob('generate-reports');
    expect((await rt.api('GET', '/api/v1/reports')).body.reports).toHaveLength(5);
    expect(rt.sns.messages.filter((m) => m.attributes.kind === 'report')).toHaveLength(5);
  });

  it.each(['executive', 'performance', 'trend', 'usage'])(
    'renders the weekly %s report as JSON, Markdown and HTML matching the golden files',
    async (type) => {
      const report = reports.find(
        (r) => r.type === type && Date.parse(r.period.end) - Date.parse(r.period.start) === 7 * DAY,
      );
      expect(report).toBeDefined();
      const id = report?.id as string;
      const json = await rt.api('GET', `/api/v1/reports/${id}`);
      expect(json.status).toBe(200);
      const { id: _, ...content } = json.body;
      golden(`${type}.json`, `${JSON.stringify(content, null, 2)}\n`);
      const md = await rt.api('GET', `/api/v1/reports/${id}?format=markdown`);
      expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
      golden(`${type}.md`, md.text);
      const html = await rt.api('GET', `/api/v1/reports/${id}?format=html`);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      golden(`${type}.html`, html.text);
      // Self-contained: no external scripts, styles or images.
      expect(html.text).not.toMatch(/<script|<link|src="http|href="http/);
    },
  );

  it('shows the numbers behind the reports', () => {
    const md = (type: string) => readFileSync(join(GOLDEN, `${type}.md`), 'utf8');
    // Executive: the SEV2 acknowledged in 4 minutes and resolved in 8; the SEV3 still open.
    expect(md('executive')).toContain('mean time to acknowledge 4 min, to resolve 8 min; 1 open now');
    // Usage: 7 days of seeded counters (4 keys' requests, the health checks anonymous).
    const requests = Array.from({ length: 7 }, (_, i) => i + 1).reduce(
      (n, d) => n + 1000 + 10 * d + (d % 3) + 400 + d + 2 + 1440,
      0,
    );
    expect(md('usage')).toContain(`${requests} API requests from 2 active keys over 7 days.`);
    // Trend: the checkout p95 rises 1 ms an hour, 24 ms a day.
    const slope = Number(
      /Checkout latency \(p95\) is increasing \(([\d.]+) s per day\)/.exec(md('trend'))?.[1],
    );
    expect(slope).toBeGreaterThan(0.022);
    expect(slope).toBeLessThan(0.026);
    expect(readFileSync(join(GOLDEN, 'trend.html'), 'utf8')).toContain('<svg');
  });

  it('mails every report with its HTML to the outbox', () => {
    const mails = readdirSync(rt.outbox).map((f) => readFileSync(join(rt.outbox, f), 'utf8'));
    const reportsMails = mails.filter((m) => /^Subject: Vigil .* report/m.test(m));
    expect(reportsMails).toHaveLength(5);
    for (const mail of reportsMails) {
      expect(mail).toMatch(/Content-Type: multipart\/alternative/);
      expect(mail).toMatch(/Content-Type: text\/plain/);
      expect(mail).toMatch(/Content-Type: text\/html/);
    }
    const trendMail = reportsMails.find((m) => /Subject: Vigil trend report/.test(m)) as string;
    expect(trendMail).toContain('svg');
  });
});
