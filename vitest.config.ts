import { defineConfig } from 'vitest/config';

/**
 * One suite for the whole monorepo: unit tests beside the code, cross-package suites in test/.
 * Forks keep each e2e file's local runtime (dynalite, ports, timers) isolated.
 */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'infra/src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-artifacts/vitest.json' },
  },
});
