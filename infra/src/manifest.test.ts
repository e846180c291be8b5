import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScheduleExpression } from '@vigil/core/schedule';
import { describe, expect, it } from 'vitest';
import { manifest, routeKey } from './manifest';

const root = new URL('../../', import.meta.url).pathname;
const fn = (name: string) => manifest.functions.find((f) => f.name === name);

describe('manifest', () => {
  it('names every function, route, schedule and subscription once', () => {
    const dupes = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
    expect(dupes(manifest.functions.map((f) => f.name))).toEqual([]);
    expect(dupes(manifest.routes.map(routeKey))).toEqual([]);
    expect(dupes(manifest.schedules.map((s) => s.name))).toEqual([]);
    expect(dupes(manifest.subscriptions.map((s) => s.name))).toEqual([]);
  });

  it.each(manifest.functions.map((f) => [f.name, f] as const))(
    'function %s has an entry that exports a handler',
    (_, row) => {
      const file = join(root, row.entry);
      expect(existsSync(file), row.entry).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/export (const|async function|function) handler\b/);
      for (const table of Object.keys(row.tables))
        expect(manifest.tables.map((t) => t.name)).toContain(table);
      for (const topic of row.publishes) expect(manifest.topics.map((t) => t.name)).toContain(topic);
    },
  );

  it.each(manifest.routes.map((r) => [routeKey(r), r] as const))(
    'route %s is served by an http function',
    (_, row) => {
      expect(fn(row.function)?.kind).toBe('http');
      expect(row.path).toMatch(/^\/[\w./{}+-]*$/);
      expect(row.summary.length).toBeGreaterThan(0);
    },
  );

  it.each(manifest.schedules.map((s) => [s.name, s] as const))(
    'schedule %s parses and targets a job',
    (_, row) => {
      expect(() => parseScheduleExpression(row.expression)).not.toThrow();
      expect(fn(row.function)?.kind).toBe('job');
    },
  );

  it.each(manifest.subscriptions.map((s) => [s.name, s] as const))(
    'subscription %s reaches a channel with a filter policy',
    (_, row) => {
      if (row.protocol === 'lambda') expect(fn(row.function ?? '')?.kind).toBe('channel');
      expect(Object.keys(row.filterPolicy).length).toBeGreaterThan(0);
    },
  );

  it('keeps health/live as the only route without a key', () => {
    expect(manifest.routes.filter((r) => r.scope === 'none').map(routeKey)).toEqual(['GET /health/live']);
  });
});
