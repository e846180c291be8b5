import { manifest, type RouteRow } from '@vigil/infra/manifest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

const RUNS = Number(process.env.VIGIL_FUZZ_RUNS ?? 12);

/** Odd path parameters: unicode, traversal, encodings, very long, empty-looking. */
const oddSegment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    '..',
    '%2e%2e',
    '%00',
    '%ZZ',
    '💥',
    '-1',
    '0',
    'null',
    'undefined',
    ' ',
    'a'.repeat(2_000),
    '%2F',
    '{id}',
  ),
);

/** Bodies that are malformed, of the wrong type or shape, or far too large. */
const oddBody = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[',
    'null',
    'true',
    '"text"',
    '{"__proto__":{"x":1}}',
    '\u0000\u0001',
    '{}',
    '[]',
  ),
  fc.json({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }).map((v) => {
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return '{}';
    }
  }),
);

function pathFor(route: RouteRow, segments: string[]): string {
  let i = 0;
  return route.path.replace(/\{(\w+)\+?\}/g, () => encodeURIComponent(segments[i++ % segments.length]));
}

describe('fuzzing every manifest route', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  // Streaming routes hold their connection by design; their inputs are fuzzed through the
  // long-poll form in their own suites.
  const routes = manifest.routes
    .filter((r) => !r.streaming)
    .map((r) => [`${r.method} ${r.path}`, r] as const);

  it.each(routes)('%s answers odd input with 2xx/4xx problem+json, never 5xx', async (_, route) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(oddSegment, { minLength: 1, maxLength: 3 }),
        oddBody,
        fc.constantFrom('application/json', 'text/plain', 'application/x-protobuf', ''),
        async (segments, body, type) => {
          const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
          const res = await fetch(rt.url + pathFor(route, segments), {
            method: route.method,
            headers: { authorization: `Bearer ${rt.adminKey}`, ...(type && { 'content-type': type }) },
            body: hasBody ? body : undefined,
          });
          const text = await res.text();
          expect(
            res.status,
            `${route.method} ${pathFor(route, segments)} body=${body.slice(0, 80)} → ${text.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (res.status >= 400)
            expect(res.headers.get('content-type')).toMatch(/problem\+json|application\/json/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each(routes.filter(([, r]) => r.method !== 'GET' && r.method !== 'DELETE'))(
    '%s refuses a body over its limit with 413',
    async (_, route) => {
      const limit = route.maxBodyBytes ?? 1_048_576;
      const res = await fetch(rt.url + pathFor(route, ['x']), {
        method: route.method,
        headers: { authorization: `Bearer ${rt.adminKey}`, 'content-type': 'application/json' },
        body: `"${'a'.repeat(Math.min(limit + 10, 10 * 1024 * 1024 - 10))}"`,
      });
      await res.text();
      expect(res.status).toBe(413);
    },
  );

  it('is still alive after all of it', async () => {
    expect((await rt.api('GET', '/health/live', undefined, { key: null })).status).toBe(200);
    expect((await rt.api('GET', '/health/ready')).status).toBe(200);
  });
});
