import { manifest, type RouteRow, SCOPES } from '@vigil/infra/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/** A concrete path for a route template: every parameter becomes a harmless placeholder. */
function concretePath(route: RouteRow): string {
  return route.path.replace(/\{(\w+)\+?\}/g, 'does-not-exist');
}

/**
 * Sends one request and returns its status. Streaming routes may hold the connection open once
 * authorised, so their request is cut after 3 s and counted as "served".
 */
async function statusOf(base: string, route: RouteRow, key: string | null): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), route.streaming ? 3_000 : 20_000);
  try {
    const res = await fetch(base + concretePath(route), {
      method: route.method,
      headers: {
        ...(key && { authorization: `Bearer ${key}` }),
        ...(route.method !== 'GET' && route.method !== 'DELETE' && { 'content-type': 'application/json' }),
      },
      body: route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}',
      signal: controller.signal,
    });
    await res.body?.cancel();
    return res.status;
  } catch (error) {
    if (route.streaming && (error as Error).name === 'AbortError') return 200;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const granted = (scope: string, required: RouteRow['scope']) =>
  required === 'none' || scope === 'admin' || scope === required;

describe('auth matrix over every manifest route', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    rt = await startTestRuntime();
    for (const scope of SCOPES)
      keys[scope] = (
        await rt.api('POST', '/api/v1/keys', { name: `matrix-${scope}`, scopes: [scope] })
      ).body.key;
  });
  afterAll(() => rt.cleanup());

  const routes = manifest.routes.map((r) => [`${r.method} ${r.path}`, r] as const);

  it.each(routes)('%s: no key and a wrong key are 401 unless the route is open', async (_, route) => {
    const none = await statusOf(rt.url, route, null);
    const wrong = await statusOf(rt.url, route, 'vgl_not_a_real_key');
    if (route.scope === 'none') {
      expect(none).not.toBe(401);
      expect(wrong).not.toBe(401);
    } else {
      expect(none).toBe(401);
      expect(wrong).toBe(401);
    }
  });

  it.each(routes)(
    '%s: each scope is served or refused (403) exactly as the manifest says',
    async (_, route) => {
      for (const scope of SCOPES) {
        const status = await statusOf(rt.url, route, keys[scope]);
        if (granted(scope, route.scope)) {
          expect([401, 403], `${scope} key on ${route.method} ${route.path}`).not.toContain(status);
          expect(status, `${scope} key on ${route.method} ${route.path}`).toBeLessThan(500);
        } else {
          expect(status, `${scope} key on ${route.method} ${route.path}`).toBe(403);
        }
      }
    },
  );
});
