/**
 * Time from `npm start` (the real command, as a user runs it) to a ready platform, cold (fresh
 * data dir: tables created, defaults seeded) and warm (same data dir again). Baseline: the time
 * for a bare `node -e 0` in the same run. Goal: warm < 3 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: {
      ...process.env,
      VIGIL_PORT: String(port),
      VIGIL_DATA_DIR: dataDir,
      VIGIL_ADMIN_KEY: 'vgl_bench_startup',
    },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`, {
          headers: { authorization: 'Bearer vgl_bench_startup' },
        });
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-startup-'));
try {
  const baselineStarted = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  const nodeMs = performance.now() - baselineStarted;
  const coldMs = await startOnce(dataDir);
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push(await startOnce(dataDir));
  const warmMs = [...warm].sort((a, b) => a - b)[1];
  console.log(
    JSON.stringify({
      bench: 'startup',
      what: 'npm start until /health/ready answers 200',
      coldMs: Math.round(coldMs),
      warmMedianMs: Math.round(warmMs),
      warmRunsMs: warm.map(Math.round),
      baseline: { bareNodeMs: Math.round(nodeMs) },
      ratioToBareNode: Number((warmMs / nodeMs).toFixed(1)),
      goal: 'warm < 3000 ms',
      met: warmMs < 3000,
    }),
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
