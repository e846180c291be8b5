import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { type Manifest, manifest } from './manifest';
import { VigilPlatform } from './platform';
import { ESM_BANNER } from './platform/functions';

describe('VigilPlatform bundling', () => {
  it('bundles a function with the local esbuild as a minified ESM module with a source map', () => {
    // Only the authorizer: one real esbuild run, no Docker.
    const authorizer = manifest.functions.find((f) => f.kind === 'authorizer')!;
    const only: Manifest = {
      ...manifest,
      functions: [authorizer],
      routes: [],
      schedules: [],
      subscriptions: [],
    };
    const app = new App();
    const stack = new Stack(app, 'vigil-bundle', { env: { account: '123456789012', region: 'us-east-1' } });
    new VigilPlatform(stack, 'Vigil', { stage: 'dev', manifest: only, webDist: '/nonexistent/dist' });
    const assembly = app.synth();
    const dirs = readdirSync(assembly.directory)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => join(assembly.directory, d))
      .filter((d) => existsSync(join(d, 'index.mjs')));
    expect(dirs).toHaveLength(1);
    const code = readFileSync(join(dirs[0], 'index.mjs'), 'utf8');
    expect(code.startsWith(ESM_BANNER)).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*as handler/);
    expect(code).not.toMatch(/from\s*"@aws-lambda-powertools/); // bundled in, not external
    expect(existsSync(join(dirs[0], 'index.mjs.map'))).toBe(true);
    expect(statSync(join(dirs[0], 'index.mjs')).size).toBeLessThan(300 * 1024);
  }, 120_000);
});
