/**
 * The dashboard's weight and speed: gzip size of the JS and CSS shipped (goal ≤ 150 KB), and
 * the time from opening the metrics explorer to a drawn chart against a local runtime, beside
 * the time to load a blank page in the same browser.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startRuntime } from '@vigil/local';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'packages/web/dist');
// Measure the current sources: rebuilds when they are newer than the build.
execFileSync(process.execPath, [join(root, 'packages/web/scripts/ensure-built.mjs')], { stdio: 'ignore' });
const assets = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
const gzip = (ext: string) =>
  assets
    .filter((f) => f.endsWith(ext))
    .reduce((n, f) => n + gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length, 0);
const js = gzip('.js');
const css = gzip('.css');

const rt = await startRuntime({
  port: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'vigil-bench-web-')),
  adminKey: 'vgl_bench_web',
  quiet: true,
});
const now = Date.now();
await fetch(`${rt.url}/api/v1/metrics`, {
  method: 'POST',
  headers: { authorization: 'Bearer vgl_bench_web', 'content-type': 'application/json' },
  body: JSON.stringify({
    series: [
      {
        name: 'bench_latency_seconds',
        labels: { service: 'web' },
        samples: Array.from({ length: 60 }, (_, i) => [now - (59 - i) * 60_000, Math.random()]),
      },
    ],
  }),
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  let t = performance.now();
  await page.goto('about:blank');
  const blankMs = performance.now() - t;
  await page.goto(`${rt.url}/#/signin?key=vgl_bench_web`);
  await page.getByRole('region', { name: 'Health' }).waitFor();
  t = performance.now();
  await page.goto(`${rt.url}/#/metrics?q=bench_latency_seconds&range=1h`);
  await page.reload();
  await page.locator('canvas').first().waitFor();
  const chartMs = performance.now() - t;
  console.log(
    JSON.stringify({
      bench: 'web',
      what: 'dashboard JS+CSS gzip size and time to first chart against the local runtime',
      jsGzipBytes: js,
      cssGzipBytes: css,
      totalGzipKB: Math.round(((js + css) / 1024) * 10) / 10,
      goalKB: 150,
      met: (js + css) / 1024 <= 150,
      timeToFirstChartMs: Math.round(chartMs),
      baseline: { blankPageMs: Math.round(blankMs) },
    }),
  );
} finally {
  await browser.close();
  await rt.stop();
}
