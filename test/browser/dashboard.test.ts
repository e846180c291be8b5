import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * The dashboard in Debian's Chromium against a seeded local runtime: every page renders with
 * no console error and the flows on-call engineers depend on work end to end.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = new URL('../../', import.meta.url).pathname;
const shots = `${root}test-artifacts/screenshots`;
const NOW = Date.now() - (Date.now() % 60_000);

describe('dashboard in a real browser', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
    if (!existsSync(`${root}packages/web/dist/index.html`))
      execFileSync(process.execPath, [`${root}packages/web/scripts/ensure-built.mjs`], { stdio: 'ignore' });
    mkdirSync(shots, { recursive: true });
    rt = await startTestRuntime();
    await rt.setClock(NOW);
    // Seed: a metric, logs, an alert, an incident, a user on call.
    await rt.api('POST', '/api/v1/metrics', {
      series: [
        {
          name: 'checkout_latency_seconds',
          labels: { service: 'checkout' },
          samples: Array.from({ length: 30 }, (_, i) => [NOW - (29 - i) * 60_000, 0.1 + i / 100]),
        },
      ],
    });
    await rt.api('POST', '/api/v1/logs', [
      {
        timestamp: new Date(NOW - 60_000).toISOString(),
        level: 'error',
        service: 'checkout',
        message: 'payment provider timed out after 30s',
        request_id: 'req-42',
        trace_id: 'abc123',
      },
      {
        timestamp: new Date(NOW - 30_000).toISOString(),
        level: 'info',
        service: 'checkout',
        message: 'order placed',
        request_id: 'req-43',
      },
    ]);
    await rt.api('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'CheckoutSlow', severity: 'medium', service: 'checkout' },
        annotations: { summary: 'checkout p95 above 1 s' },
      },
    ]);
    await rt.api('POST', '/api/v1/incidents', {
      title: 'Checkout errors',
      severity: 'SEV2',
      service: 'checkout',
    });
    await rt.api('POST', '/api/v1/users', { id: 'dana', name: 'Dana', email: 'dana@example.com' });
    await rt.api('POST', '/api/v1/users', { id: 'eli', name: 'Eli', email: 'eli@example.com' });
    await rt.api('POST', '/api/v1/schedules', {
      id: 'primary',
      name: 'Primary',
      layers: [
        {
          name: 'daily',
          users: ['dana', 'eli'],
          rotationStart: new Date(NOW - 3_600_000).toISOString(),
          shift: { every: 1, unit: 'days' },
          timeZone: 'UTC',
        },
      ],
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${rt.url}/#/signin?key=${encodeURIComponent(rt.adminKey)}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rt?.cleanup();
  });

  it('signs in with the one-time link and shows the overview', async () => {
    await page.getByRole('region', { name: 'Health' }).waitFor();
    await page.getByText('CheckoutSlow').first().waitFor();
    await page.getByText('Checkout errors').first().waitFor();
    expect(page.url()).not.toContain('key=');
    await page.screenshot({ path: `${shots}/overview.png`, fullPage: true });
  });

  it('draws the seeded points on a chart', async () => {
    await page.goto(`${rt.url}/#/metrics?q=checkout_latency_seconds&range=1h`);
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(20);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${shots}/metrics.png`, fullPage: true });
  });

  it('finds a known log line and pivots on its request id', async () => {
    await page.goto(`${rt.url}/#/logs`);
    await page.getByLabel('service').fill('checkout');
    await page.getByLabel('text').fill('timed out');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.logs .message', { hasText: 'payment provider timed out after 30s' }).waitFor();
    await page.locator('.logs summary').first().click();
    await page.getByRole('button', { name: 'All logs of request req-42' }).click();
    await expect.poll(() => page.locator('.logs li').count()).toBe(1);
    await page.screenshot({ path: `${shots}/logs.png`, fullPage: true });
  });

  it('silences a firing alert from the alerts page', async () => {
    await page.goto(`${rt.url}/#/alerts`);
    const row = page.locator('[data-alert="CheckoutSlow"]');
    await row.getByRole('button', { name: 'Silence 2h' }).click();
    await row.getByText('suppressed').waitFor();
    const alerts = await rt.api('GET', '/api/v2/alerts?silenced=false');
    expect(
      alerts.body.filter((a: { labels: { alertname: string } }) => a.labels.alertname === 'CheckoutSlow'),
    ).toHaveLength(0);
    await page.screenshot({ path: `${shots}/alerts.png`, fullPage: true });
  });

  it('acknowledges and resolves an incident with timeline entries', async () => {
    await page.goto(`${rt.url}/#/incidents`);
    await page.getByRole('link', { name: 'Checkout errors' }).click();
    await page.getByRole('button', { name: 'acknowledge' }).click();
    await page.getByText('admin acknowledged the incident').waitFor();
    await page.getByRole('button', { name: 'resolve' }).click();
    await page.getByText('admin resolved the incident').waitFor();
    await page.screenshot({ path: `${shots}/incident.png`, fullPage: true });
  });

  it('shows who is on call at the clock time', async () => {
    await page.goto(`${rt.url}/#/oncall`);
    await expect
      .poll(async () => page.locator('[data-schedule="primary"] .oncall-user').textContent())
      .toBe('dana');
    await page.screenshot({ path: `${shots}/oncall.png`, fullPage: true });
  });

  it('rendered every page without a console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
