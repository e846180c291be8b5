import { ConflictError, FixedClock } from '@vigil/core';
import { MemoryTableStore } from '@vigil/dynamo';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { configurePlatform, resetPlatform } from '../../platform/context';
import { createHttpHandler } from './handler';
import { idempotent } from './idempotency';
import { route } from './route';
import type { HttpEvent } from './types';

function event(
  routeKey: string,
  init: {
    body?: string;
    headers?: Record<string, string>;
    scopes?: string;
    base64?: boolean;
    query?: string;
  } = {},
): HttpEvent {
  const [method, path] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: init.query ?? '',
    headers: init.headers ?? {},
    body: init.body,
    isBase64Encoded: init.base64 ?? false,
    requestContext: {
      http: { method, path },
      requestId: 'gw-1',
      authorizer: {
        lambda: init.scopes === undefined ? {} : { keyId: 'k1', keyName: 'tester', scopes: init.scopes },
      },
    },
  } as unknown as HttpEvent;
}

let counter = 0;
const handler = createHttpHandler({
  'POST /api/v1/keys': route({
    body: z.object({ name: z.string().min(1), scopes: z.array(z.enum(['read'])) }),
    handle: (input) =>
      idempotent(input, async () => ({ status: 201, body: { n: ++counter, by: input.principal?.name } })),
  }),
  'GET /api/v1/keys': route({ handle: () => ({ body: { ok: true } }) }),
  'GET /health/live': route({
    handle: () => {
      throw new Error('secret internals');
    },
  }),
  'DELETE /api/v1/keys/{id}': route({
    handle: () => {
      throw new ConflictError('lost the race', { allowed: ['acknowledge'] });
    },
  }),
});

describe('createHttpHandler', () => {
  beforeEach(() => {
    configurePlatform({
      clock: new FixedClock(1_700_000_000_000),
      tables: {
        state: new MemoryTableStore('state'),
        metrics: new MemoryTableStore('metrics'),
        logs: new MemoryTableStore('logs'),
      },
    });
  });
  afterEach(() => resetPlatform());

  it.each([
    // no key at all
    [undefined, 401],
    // a key without the admin scope the manifest requires for keys
    ['read', 403],
    ['ingest,write', 403],
    // admin implies everything
    ['admin', 200],
  ])('answers a key with scopes %s with %d', async (scopes, status) => {
    expect((await handler(event('GET /api/v1/keys', { scopes }))).statusCode).toBe(status);
  });

  it('names the wrong field of a body in problem+json', async () => {
    const res = await handler(
      event('POST /api/v1/keys', { scopes: 'admin', body: '{"name":"","scopes":["write"]}' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(res.body!);
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['name', 'scopes.0']);
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('decodes base64 bodies and refuses bodies over the route limit', async () => {
    const body = Buffer.from('{"name":"a","scopes":["read"]}').toString('base64');
    expect(
      (await handler(event('POST /api/v1/keys', { scopes: 'admin', body, base64: true }))).statusCode,
    ).toBe(201);
    const huge = await handler(event('POST /api/v1/keys', { scopes: 'admin', body: 'x'.repeat(20_000) }));
    expect(huge.statusCode).toBe(413);
  });

  it('hides unexpected errors behind a 500 that quotes the request id', async () => {
    const res = await handler(event('GET /health/live', { headers: { 'x-request-id': 'req-42' } }));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internals');
    expect(res.body).toContain('req-42');
    expect(res.headers['x-request-id']).toBe('req-42');
  });

  it('maps a conflict to 409 with the allowed actions', async () => {
    const res = await handler(event('DELETE /api/v1/keys/{id}', { scopes: 'admin' }));
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body!).allowed).toEqual(['acknowledge']);
  });

  it('answers an unknown route key with 404', async () => {
    expect((await handler(event('GET /nope', { scopes: 'admin' }))).statusCode).toBe(404);
  });

  it('runs a write once per Idempotency-Key and replays it', async () => {
    const send = () =>
      handler(
        event('POST /api/v1/keys', {
          scopes: 'admin',
          body: '{"name":"a","scopes":["read"]}',
          headers: { 'idempotency-key': 'k' },
        }),
      );
    const first = await send();
    const again = await send();
    expect(JSON.parse(again.body!)).toEqual(JSON.parse(first.body!));
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await handler(
      event('POST /api/v1/keys', {
        scopes: 'admin',
        body: '{"name":"b","scopes":["read"]}',
        headers: { 'idempotency-key': 'k' },
      }),
    );
    expect(other.statusCode).toBe(400);
  });
});
