/**
 * `npm run bench [-- name…]`: runs every `bench/<name>.ts` (or the named ones), each in its own
 * process, passing through the one JSON line each prints.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => a !== '--');
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  process.stderr.write(`no benchmark named ${unknown.join(', ')}; there are: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', join(dir, '../test/support/setup.ts'), join(dir, `${name}.ts`)],
    {
      stdio: 'inherit',
      env: process.env,
    },
  );
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`benchmark ${name} failed with exit code ${result.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
