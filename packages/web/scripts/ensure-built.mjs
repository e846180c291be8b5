// Builds the dashboard once, so `npm start` on a fresh clone serves it; later starts skip it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${web}/dist/index.html`)) {
  process.stdout.write('Building the dashboard (first start only)…\n');
  const result = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url)),
      'build',
      '--logLevel',
      'warn',
    ],
    { cwd: web, stdio: 'inherit' },
  );
  if (result.status !== 0) process.stderr.write('The dashboard could not be built; the API still works.\n');
}
