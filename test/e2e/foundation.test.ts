import { startRuntime } from '@vigil/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestRuntime } from '../support/runtime';

describe('local runtime foundation', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  it('answers liveness without a key', async () => {
    const res = await rt.api('GET', '/health/live', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'pass' });
  });

  it('is ready, started and healthy in detail with the store and topic up', async () => {
    expect((await rt.api('GET', '/health/ready')).status).toBe(200);
    const startup = await rt.api('GET', '/health/startup');
    expect(startup.status).toBe(200);
    expect(startup.body.checks.map((c: { name: string }) => c.name)).toContain('defaults-seeded');
    const detailed = await rt.api('GET', '/health/detailed');
    expect(detailed.status).toBe(200);
    for (const check of detailed.body.checks) expect(check).toHaveProperty('status');
    expect(
      detailed.body.checks
        .filter((c: { name: string }) => c.name.startsWith('table:'))
        .every((c: { latencyMs: number }) => c.latencyMs >= 0),
    ).toBe(true);
  });

  it('echoes the caller correlation id', async () => {
    const res = await rt.api('GET', '/health/ready', undefined, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const traced = await rt.api('GET', '/health/ready', undefined, {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(traced.headers.get('x-request-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('reports not ready with Retry-After while the store is down, and recovers', async () => {
    await rt.store.stop();
    try {
      const down = await rt.api('GET', '/health/ready');
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.headers.get('content-type')).toContain('application/problem+json');
      expect((await rt.api('GET', '/health/live', undefined, { key: null })).status).toBe(200);
    } finally {
      await rt.store.start();
    }
    expect((await rt.api('GET', '/health/ready')).status).toBe(200);
  });

  it('reports not ready when the notification topic is unreachable', async () => {
    rt.sns.available = false;
    try {
      const res = await rt.api('GET', '/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks.find((c: { name: string }) => c.name === 'topic:notifications').status).toBe(
        'fail',
      );
    } finally {
      rt.sns.available = true;
    }
  });

  it('creates, lists and revokes keys, showing the secret once and storing only its hash', async () => {
    const created = await rt.api('POST', '/api/v1/keys', { name: 'ci', scopes: ['ingest'] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^vgl_/);
    const list = await rt.api('GET', '/api/v1/keys');
    const listed = list.body.keys.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'ci', scopes: ['ingest'] });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect((await rt.api('GET', '/api/v1/keys', undefined, { key: created.body.key })).status).toBe(403);
    expect((await rt.api('DELETE', `/api/v1/keys/${created.body.id}`)).status).toBe(204);
    expect((await rt.api('GET', '/health/ready', undefined, { key: created.body.key })).status).toBe(401);
    expect((await rt.api('DELETE', `/api/v1/keys/${created.body.id}`)).status).toBe(404);
  });

  it('replays a retried key creation with the same Idempotency-Key instead of creating two', async () => {
    const headers = { 'idempotency-key': 'create-once' };
    const first = await rt.api('POST', '/api/v1/keys', { name: 'once', scopes: ['read'] }, { headers });
    const second = await rt.api('POST', '/api/v1/keys', { name: 'once', scopes: ['read'] }, { headers });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const other = await rt.api('POST', '/api/v1/keys', { name: 'different', scopes: ['read'] }, { headers });
    expect(other.status).toBe(400);
    const keys = (await rt.api('GET', '/api/v1/keys')).body.keys.filter(
      (k: { name: string }) => k.name === 'once',
    );
    expect(keys).toHaveLength(1);
  });

  it('rejects bad input with problem+json naming the field', async () => {
    const malformed = await rt.api('POST', '/api/v1/keys', undefined, {
      raw: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    const wrong = await rt.api('POST', '/api/v1/keys', { name: 'x', scopes: ['root'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('scopes.0');
    const huge = await rt.api('POST', '/api/v1/keys', undefined, {
      raw: JSON.stringify({ name: 'x'.repeat(20_000), scopes: ['read'] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect((await rt.api('PUT', '/api/v1/keys')).status).toBe(405);
    expect((await rt.api('GET', '/api/v1/nothing-here')).status).toBe(404);
  });

  it('sweeps items whose TTL has passed by the runtime clock, as DynamoDB TTL would', async () => {
    const { platform } = await import('@vigil/functions');
    const state = platform().tables.state;
    const nowSeconds = Math.floor(rt.clock.now() / 1000);
    await state.put({ PK: 'TTL#old', SK: 'x', expiresAt: nowSeconds - 1 });
    await state.put({ PK: 'TTL#new', SK: 'x', expiresAt: nowSeconds + 120 });
    await state.put({ PK: 'TTL#none', SK: 'x' });
    expect(await rt.sweepTtl()).toBeGreaterThanOrEqual(1);
    expect(await state.get({ PK: 'TTL#old', SK: 'x' })).toBeUndefined();
    expect(await state.get({ PK: 'TTL#new', SK: 'x' })).toBeDefined();
    expect(await state.get({ PK: 'TTL#none', SK: 'x' })).toBeDefined();
    // A short jump: every minute of it runs the schedules, as the test clock does.
    await rt.setClock(rt.clock.now() + 3 * 60_000);
    await rt.sweepTtl();
    expect(await state.get({ PK: 'TTL#new', SK: 'x' })).toBeUndefined();
  });

  it('moves the test clock and runs schedules only through the admin clock route', async () => {
    const before = rt.clock.now();
    const res = await rt.api('POST', '/api/v1/admin/clock', { advance: '5m' });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.now)).toBe(before + 300_000);
    expect((await rt.api('POST', '/api/v1/admin/clock', { advance: 'soon' })).body.errors[0].field).toBe(
      'advance',
    );
    const ingest = (await rt.api('POST', '/api/v1/keys', { name: 'reader', scopes: ['read'] })).body.key;
    expect((await rt.api('POST', '/api/v1/admin/clock', { advance: '1m' }, { key: ingest })).status).toBe(
      403,
    );
  });
});

describe('persistence and configuration', () => {
  it('keeps data across a restart on the same data dir', async () => {
    const first = await startTestRuntime();
    const created = await first.api('POST', '/api/v1/keys', { name: 'survivor', scopes: ['read'] });
    await first.stop();
    const second = await startRuntime({
      port: 0,
      dataDir: first.dataDir,
      adminKey: 'vgl_test_admin_key',
      testClock: true,
      quiet: true,
    });
    try {
      const list = await api(second.url, second.adminKey)('GET', '/api/v1/keys');
      expect(list.body.keys.map((k: { name: string }) => k.name)).toContain('survivor');
      expect((await api(second.url, created.body.key)('GET', '/health/ready')).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('generates an admin key once, keeps it with mode 0600, and reuses it', async () => {
    const { statSync, readFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
    const first = await startRuntime({ port: 0, dataDir, quiet: true });
    await first.stop();
    const file = join(dataDir, 'admin-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.adminKey);
    const second = await startRuntime({ port: 0, dataDir, quiet: true });
    try {
      expect(second.adminKey).toBe(first.adminKey);
      expect((await api(second.url, second.adminKey)('GET', '/api/v1/keys')).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('revokes the previous bootstrap key when VIGIL_ADMIN_KEY changes', async () => {
    const first = await startTestRuntime();
    await first.stop();
    const second = await startRuntime({
      port: 0,
      dataDir: first.dataDir,
      adminKey: 'vgl_rotated_admin',
      testClock: true,
      quiet: true,
    });
    try {
      expect((await api(second.url, 'vgl_test_admin_key')('GET', '/api/v1/keys')).status).toBe(401);
      expect((await api(second.url, 'vgl_rotated_admin')('GET', '/api/v1/keys')).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
