import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launch, openTab, SHOTS, seededRuntime, signIn, type TestRuntime } from './harness';

/**
 * The dashboard in Debian's Chromium against a seeded local runtime: the flows on-call engineers
 * and their managers depend on work end to end, without a console error.
 */
const NOW = Date.now() - (Date.now() % 60_000);

describe('dashboard in a real browser', () => {
  let rt: TestRuntime;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let closeTab: () => Promise<void>;

  beforeAll(async () => {
    rt = await seededRuntime(NOW);
    browser = await launch();
    ({ page, errors: consoleErrors, close: closeTab } = await openTab(browser, LAPTOP));
    await signIn(page, rt);
  }, 120_000);

  afterAll(async () => {
    await closeTab?.();
    await browser?.close();
    await rt?.cleanup();
  });

  it('signs in with the one-time link and shows the overview', async () => {
    await page.getByText('CheckoutSlow').first().waitFor();
    await page.getByText('Checkout errors').first().waitFor();
    await page.getByRole('region', { name: 'SLOs' }).getByText('Checkout availability').waitFor();
    expect(page.url()).not.toContain('key=');
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
  });

  it('draws the seeded points on a chart', async () => {
    await page.goto(`${rt.url}/#/metrics?q=checkout_latency_seconds&range=1h`);
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(20);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/metrics.png`, fullPage: true });
  });

  it('completes metric names, label names and label values', async () => {
    await page.goto(`${rt.url}/#/metrics`);
    const options = () =>
      page.locator('#metric-names option').evaluateAll((o) => o.map((x) => x.getAttribute('value')));
    await expect.poll(options).toContain('checkout_requests_total');
    await page.getByLabel('PromQL').fill('checkout_requests_total{');
    await expect
      .poll(options)
      .toEqual(['checkout_requests_total{code="', 'checkout_requests_total{service="']);
    await page.getByLabel('PromQL').fill('checkout_requests_total{code="');
    await expect
      .poll(options)
      .toEqual(['checkout_requests_total{code="200"', 'checkout_requests_total{code="500"']);
  });

  it('finds a known log line and pivots on its request id', async () => {
    await page.goto(`${rt.url}/#/logs`);
    await page.getByLabel('service').fill('checkout');
    await page.getByLabel('text').fill('timed out');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.logs .message', { hasText: 'payment provider timed out after 30s' }).waitFor();
    await expect
      .poll(() => page.getByTestId('log-histogram').locator('[data-level="error"]').textContent())
      .toMatch(/error 1$/);
    await page.locator('.logs summary').first().click();
    await page.getByRole('button', { name: 'All logs of request req-42' }).click();
    await expect.poll(() => page.locator('.logs li').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/logs.png`, fullPage: true });
  });

  it('tails new log lines live', async () => {
    // A fresh page: the search before left a request id in the form.
    await page.goto('about:blank');
    await page.goto(`${rt.url}/#/logs?service=checkout`);
    // The tail's first answer is its starting position: lines sent after it must show.
    const started = page.waitForResponse(/\/api\/v1\/logs\/tail/);
    await page.getByRole('checkbox', { name: 'Live tail' }).check();
    await started;
    await rt.api('POST', '/api/v1/logs', [
      {
        timestamp: new Date(NOW).toISOString(),
        level: 'warn',
        service: 'checkout',
        message: 'retrying payment',
      },
      { timestamp: new Date(NOW).toISOString(), level: 'warn', service: 'search', message: 'slow shard' },
    ]);
    await page
      .getByTestId('tail')
      .locator('.message', { hasText: 'retrying payment' })
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('tail').locator('li').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'Live tail' }).uncheck();
    // The API still holds the abandoned long poll; a matching line lets it answer now.
    await rt.api('POST', '/api/v1/logs', [
      { timestamp: new Date(NOW).toISOString(), level: 'info', service: 'checkout', message: 'payment ok' },
    ]);
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
    await page.screenshot({ path: `${SHOTS}/alerts.png`, fullPage: true });
  });

  it('sends a test notification from a receiver and says so', async () => {
    await page.goto(`${rt.url}/#/alerts`);
    const receivers = page.getByRole('region', { name: 'Receivers' });
    await receivers.getByRole('button', { name: 'Send test' }).first().click();
    await receivers
      .getByRole('status')
      .getByText(/A test notification is on its way to /)
      .waitFor();
  });

  it('acknowledges and resolves an incident with timeline entries', async () => {
    await page.goto(`${rt.url}/#/incidents`);
    await page.getByLabel('Severity').selectOption('SEV2');
    await expect.poll(() => page.locator('tbody tr a').allTextContents()).toEqual(['Checkout errors']);
    await page.getByRole('link', { name: 'Checkout errors' }).click();
    await page.getByRole('button', { name: 'acknowledge' }).click();
    await page.getByText('admin acknowledged the incident').waitFor();
    await page.getByRole('button', { name: 'resolve' }).click();
    await page.getByText('admin resolved the incident').waitFor();
    // A resolved SEV2 calls for a review: the editor shows the draft the API opened.
    await page
      .getByRole('region', { name: 'Post-incident review' })
      .locator('.badge', { hasText: 'draft' })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/incident.png`, fullPage: true });
  });

  it('writes a post-incident review, adds an action item and completes it', async () => {
    const incident = await findIncident('Cache stampede');
    await page.goto(`${rt.url}/#/incidents/${incident.id}`);
    const review = page.getByRole('region', { name: 'Post-incident review' });
    await review.getByText('Not started').waitFor();
    await review.getByLabel('Summary').fill('Catalog pages timed out for 12 minutes.');
    await review.getByLabel('Root cause').fill('All cache keys expired at once after a deploy.');
    await review.getByLabel('Contributing factors (one per line)').fill('Fixed TTLs\nNo request coalescing');
    await review.getByRole('button', { name: 'Start review' }).click();
    await review.getByRole('button', { name: 'Save review' }).waitFor();

    await review.getByRole('textbox', { name: 'Action item', exact: true }).fill('Add jitter to cache TTLs');
    await review.getByLabel('Owner').fill('dana');
    await review.getByRole('button', { name: 'Add action item' }).click();
    const row = review.locator('[data-action-item="Add jitter to cache TTLs"]');
    await row.waitFor();
    await expect.poll(() => row.getByLabel('Status of Add jitter to cache TTLs').inputValue()).toBe('open');
    await row.getByRole('button', { name: 'Mark Add jitter to cache TTLs done' }).click();
    await expect.poll(() => row.getByLabel('Status of Add jitter to cache TTLs').inputValue()).toBe('done');

    const stored = await rt.api('GET', `/api/v1/incidents/${incident.id}/review`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      summary: 'Catalog pages timed out for 12 minutes.',
      rootCause: 'All cache keys expired at once after a deploy.',
      contributingFactors: ['Fixed TTLs', 'No request coalescing'],
      actionItems: [{ title: 'Add jitter to cache TTLs', owner: 'dana', status: 'done' }],
    });
    await review.getByRole('button', { name: 'Show as Markdown' }).click();
    await expect
      .poll(() => review.getByTestId('review-markdown').textContent())
      .toMatch(/^# Post-incident review: Cache stampede[\s\S]*\| Add jitter to cache TTLs \| dana \|/);
    await page.screenshot({ path: `${SHOTS}/review.png`, fullPage: true });
  });

  it('generates a report and shows it rendered and as Markdown', async () => {
    await page.goto(`${rt.url}/#/reports`);
    await page.getByLabel('Type').selectOption('executive');
    await page.getByLabel('Days').fill('7');
    await page.getByRole('button', { name: 'Generate now' }).click();
    await page.waitForURL(/#\/reports\/rep_/);
    const frame = page.getByTestId('report-frame');
    await frame.waitFor();
    // The report's own HTML runs in a sandbox: no scripts, no access to the dashboard's key.
    expect(await frame.getAttribute('sandbox')).toBe('');
    await page
      .frameLocator('[data-testid="report-frame"]')
      .getByRole('heading', { name: /Vigil executive report/ })
      .waitFor();
    await page
      .frameLocator('[data-testid="report-frame"]')
      .getByRole('cell', { name: 'Checkout availability' })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/report.png`, fullPage: true });
    await page.getByLabel('Markdown').check();
    await expect
      .poll(() => page.getByTestId('report-markdown').textContent())
      .toMatch(/^# Vigil executive report/);
    await page.getByRole('link', { name: '← All reports' }).click();
    await page.getByRole('link', { name: 'executive report' }).first().waitFor();
    const { body } = await rt.api('GET', '/api/v1/reports');
    expect(body.reports).toHaveLength(1);
  });

  it('shows SLO compliance, availability, incidents by severity, response-time trends and the latest report', async () => {
    await page.goto(`${rt.url}/#/executive`);
    const availability = page.getByRole('region', { name: 'Availability' });
    await availability.getByText('Checkout availability').waitFor();
    await expect.poll(() => availability.locator('.figure').first().textContent()).toBe('99.500 %');
    const severity = page.getByRole('region', { name: 'Incidents by severity (7 days)' });
    await expect
      .poll(() => severity.getByRole('listitem').allTextContents())
      .toEqual(['SEV11', 'SEV21', 'SEV31', 'SEV40']);
    // Queue backlog was acknowledged after 5 minutes and resolved after 30; Checkout errors at once.
    const trend = page.getByRole('region', { name: 'MTTA and MTTR by week' });
    await expect
      .poll(() => trend.locator('tbody tr').last().textContent())
      .toBe(`${new Date(NOW - 7 * 86_400_000).toISOString().slice(0, 10)}32.515`);
    await trend.getByTestId('chart').waitFor();
    await page
      .getByRole('region', { name: 'Latest report' })
      .getByRole('link', { name: /Vigil executive report/ })
      .waitFor();
    await page.getByRole('region', { name: 'SLO compliance' }).getByText('Checkout availability').waitFor();
    await page.screenshot({ path: `${SHOTS}/executive.png`, fullPage: true });
  });

  it('shows who is on call at the clock time', async () => {
    await page.goto(`${rt.url}/#/oncall`);
    await expect
      .poll(async () => page.locator('[data-schedule="primary"] .oncall-user').textContent())
      .toBe('dana');
    // The daily rotation: Dana today, then Dana and Eli take turns for two weeks.
    const days = page.locator('[data-two-weeks="primary"] tbody td');
    await expect.poll(() => days.count()).toBe(14);
    // Dana has been on call since before the view starts: no hand-over time for her today.
    expect(await days.first().textContent()).toMatch(/^dana(,|$)/);
    const names = new Set(
      (await days.allTextContents()).flatMap((t) => t.split(', ').map((x) => x.split(' ')[0])),
    );
    expect([...names].sort()).toEqual(['dana', 'eli']);
    await page.screenshot({ path: `${SHOTS}/oncall.png`, fullPage: true });
  });

  it('rendered every page without a console error', () => {
    expect(consoleErrors).toEqual([]);
  });

  async function findIncident(title: string): Promise<{ id: string }> {
    const { body } = await rt.api('GET', '/api/v1/incidents?limit=100');
    const found = body.incidents.find((i: { title: string }) => i.title === title);
    if (!found) throw new Error(`no incident "${title}"`);
    return found;
  }
});
