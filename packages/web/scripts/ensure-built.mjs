// Builds the dashboard when there is no build or its sources changed since the last one, so
// `npm start` on a fresh clone (or after a pull) serves the current dashboard; otherwise it skips.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const built = join(web, 'dist/index.html');

/** The newest modification time of the files the build reads. */
function newestSource() {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [statSync(join(dir, e.name)).mtimeMs],
    );
  return Math.max(
    ...walk(join(web, 'src')),
    ...['index.html', 'vite.config.ts', 'package.json', 'scripts/ensure-built.mjs'].map(
      (f) => statSync(join(web, f)).mtimeMs,
    ),
  );
}

if (!existsSync(built) || newestSource() > statSync(built).mtimeMs) {
  process.stdout.write('Building the dashboard…\n');
  const result = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url)),
      'build',
      '--logLevel',
      'warn',
    ],
    // Always a production build, even when called from a test run (vitest sets NODE_ENV=test,
    // which would bundle Preact's debug tools).
    { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) process.stderr.write('The dashboard could not be built; the API still works.\n');
}
