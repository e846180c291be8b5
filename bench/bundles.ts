/**
 * Bundles every function of the manifest with esbuild exactly as the CDK construct does (ESM,
 * minified, source maps, the createRequire banner, AWS SDK external) and reports each bundle's
 * minified size and its cold import time in a fresh `node`, against importing an empty module in
 * the same run. Goal: every bundle ≤ 300 KB, import ≤ 2× the empty module's + 50 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { manifest } from '../infra/src/manifest';
import { BUNDLING, ESM_BANNER } from '../infra/src/platform/functions';

const root = new URL('..', import.meta.url).pathname;
// Inside the repository (git-ignored) so the external AWS SDK resolves from node_modules, as
// it does from the Lambda runtime.
const out = join(root, 'bench/out/bundles');
const RUNS = 3;
const LIMIT_BYTES = 300 * 1024;

/** Median milliseconds to import a module in a fresh node process. */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', VIGIL_LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`importing ${file} failed: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const empty = join(out, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => {};\n');
  const baselineMs = importMs(empty);
  // For reading the figures: what the external AWS SDK clients alone cost to import.
  const sdk = join(out, 'sdk.mjs');
  writeFileSync(
    sdk,
    "import '@aws-sdk/client-dynamodb'; import '@aws-sdk/lib-dynamodb'; import '@aws-sdk/client-sns';\n",
  );
  const sdkMs = importMs(sdk);
  const bundles = [];
  for (const row of manifest.functions) {
    const file = join(out, row.name, 'index.mjs');
    const started = performance.now();
    await build({
      entryPoints: [join(root, row.entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLING.target,
      minify: BUNDLING.minify,
      sourcemap: BUNDLING.sourceMap,
      mainFields: BUNDLING.mainFields,
      banner: { js: ESM_BANNER },
      external: BUNDLING.externalModules,
      logLevel: 'error',
    });
    const buildMs = performance.now() - started;
    const bytes = statSync(file).size;
    const ms = importMs(file);
    bundles.push({
      name: row.name,
      kb: round(bytes / 1024),
      importMs: round(ms),
      buildMs: Math.round(buildMs),
      bytes,
    });
  }
  const importLimitMs = 2 * baselineMs + 50;
  const over = bundles.filter((b) => b.bytes > LIMIT_BYTES || b.importMs > importLimitMs).map((b) => b.name);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'bundles',
      functions: bundles.length,
      maxKb: Math.max(...bundles.map((b) => b.kb)),
      maxImportMs: Math.max(...bundles.map((b) => b.importMs)),
      baselineImportMs: round(baselineMs),
      sdkImportMs: round(sdkMs),
      goal: { maxKb: 300, importMs: `<= 2x baseline + 50 = ${round(importLimitMs)}` },
      over,
      bundles: bundles.map(({ bytes, ...b }) => b),
    })}\n`,
  );
}

await main();
