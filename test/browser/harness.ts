import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestRuntime } from '../support/runtime';

/** Shared set-up of the browser suites: a seeded local runtime, Debian's Chromium, screenshots. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = new URL('../../', import.meta.url).pathname;
export const SHOTS = `${root}test-artifacts/screenshots`;
export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1280, height: 900 };

export type TestRuntime = Awaited<ReturnType<typeof startTestRuntime>>;

/**
 * Starts a runtime whose clock is `now` seeded with what the pages show: a latency series and a
 * request counter behind an availability SLO, two log lines, a firing alert, incidents (one
 * acknowledged after 5 minutes and resolved after 30), and a daily rotation of two users.
 */
export async function seededRuntime(now: number): Promise<TestRuntime> {
  // Build the dashboard if there is no build or its sources are newer than it.
  execFileSync(process.execPath, [`${root}packages/web/scripts/ensure-built.mjs`], { stdio: 'ignore' });
  mkdirSync(SHOTS, { recursive: true });
  const rt = await startTestRuntime();
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await rt.api(method, path, body);
    if (r.status >= 300) throw new Error(`seeding ${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  await rt.setClock(now - 30 * 60_000);
  const slow = await ok('POST', '/api/v1/incidents', {
    title: 'Queue backlog',
    severity: 'SEV1',
    service: 'orders',
  });
  await rt.advanceClock(5 * 60_000);
  await ok('POST', `/api/v1/incidents/${slow.id}/acknowledge`);
  await rt.setClock(now);
  await ok('POST', `/api/v1/incidents/${slow.id}/resolve`);

  const minutes = Array.from({ length: 30 }, (_, i) => now - (29 - i) * 60_000);
  await ok('POST', '/api/v1/metrics', {
    series: [
      {
        name: 'checkout_latency_seconds',
        labels: { service: 'checkout' },
        samples: minutes.map((t, i) => [t, 0.1 + i / 100]),
      },
      // 199 good requests for every failed one: an availability of 99.5 %.
      {
        name: 'checkout_requests_total',
        labels: { service: 'checkout', code: '200' },
        samples: minutes.map((t, i) => [t, 199 * i]),
      },
      {
        name: 'checkout_requests_total',
        labels: { service: 'checkout', code: '500' },
        samples: minutes.map((t, i) => [t, i]),
      },
    ],
  });
  await ok('POST', '/api/v1/slos', {
    name: 'Checkout availability',
    service: 'checkout',
    kind: 'availability',
    good: 'sum(increase(checkout_requests_total{code="200"}[$window]))',
    total: 'sum(increase(checkout_requests_total[$window]))',
    target: 0.99,
    windowDays: 7,
  });
  await ok('POST', '/api/v1/logs', [
    {
      timestamp: new Date(now - 60_000).toISOString(),
      level: 'error',
      service: 'checkout',
      message: 'payment provider timed out after 30s',
      request_id: 'req-42',
      trace_id: 'abc123',
    },
    {
      timestamp: new Date(now - 30_000).toISOString(),
      level: 'info',
      service: 'checkout',
      message: 'order placed',
      request_id: 'req-43',
    },
  ]);
  await ok('POST', '/api/v2/alerts', [
    {
      labels: { alertname: 'CheckoutSlow', severity: 'medium', service: 'checkout' },
      annotations: { summary: 'checkout p95 above 1 s' },
    },
  ]);
  await ok('POST', '/api/v1/incidents', { title: 'Checkout errors', severity: 'SEV2', service: 'checkout' });
  await ok('POST', '/api/v1/incidents', { title: 'Cache stampede', severity: 'SEV3', service: 'catalog' });
  await ok('POST', '/api/v1/users', { id: 'dana', name: 'Dana', email: 'dana@example.com' });
  await ok('POST', '/api/v1/users', { id: 'eli', name: 'Eli', email: 'eli@example.com' });
  await ok('POST', '/api/v1/schedules', {
    id: 'primary',
    name: 'Primary',
    layers: [
      {
        name: 'daily',
        users: ['dana', 'eli'],
        rotationStart: new Date(now - 3_600_000).toISOString(),
        shift: { every: 1, unit: 'days' },
        timeZone: 'UTC',
      },
    ],
  });
  return rt;
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`these tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
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
}

/**
 * A fresh tab of the given size and colour scheme whose console errors and page errors land in
 * `errors`. `close()` first waits for the tab's requests to finish: the runtime stops its store
 * right after the tests, and a request still being served then would read from a closed store.
 */
export async function openTab(
  browser: Browser,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
) {
  const page = await browser.newPage({ viewport, colorScheme });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  let pending = 0;
  page.on('request', () => pending++);
  page.on('requestfinished', () => pending--);
  page.on('requestfailed', () => pending--);
  const close = async () => {
    for (const deadline = Date.now() + 30_000; pending > 0 && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 50));
    await page.close();
  };
  return { page, errors, close };
}

/** Signs in with the one-time link the local runtime prints, and waits for the overview. */
export async function signIn(page: Page, rt: TestRuntime): Promise<void> {
  await page.goto(`${rt.url}/#/signin?key=${encodeURIComponent(rt.adminKey)}`);
  await page.getByRole('region', { name: 'Health' }).waitFor();
}
